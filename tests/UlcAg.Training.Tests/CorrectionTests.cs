using UlcAg.Training.Correction;
using UlcAg.Training.Schedule;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class CorrectionTests
{
    [TestMethod]
    public void RampsFollowEquations12And13()
    {
        Assert.AreEqual(Math.Exp(-0.81), Ramps.Lambda1(1, 10), 1e-12);
        Assert.AreEqual(Math.Exp(-0.25), Ramps.Lambda1(5, 10), 1e-12);
        Assert.AreEqual(1.0, Ramps.Lambda1(10, 10), 1e-12);
        Assert.AreEqual(1.0, Ramps.Lambda1(25, 10));
        Assert.AreEqual(1.0, Ramps.Lambda2(10, 10));
        Assert.AreEqual(Math.Exp(-0.25), Ramps.Lambda2(20, 10), 1e-12);
        Assert.AreEqual(Math.Exp(-Math.Pow(1 - 10.0 / 30, 2)), Ramps.Lambda2(30, 10), 1e-12);
    }

    [TestMethod]
    public void LearningRateDropsTenfoldAtTheMilestones()
    {
        int[] milestones = [10, 20];
        Assert.AreEqual(0.01, LrSchedule.At(0.01, 0, milestones, 0.1), 1e-15);
        Assert.AreEqual(0.01, LrSchedule.At(0.01, 9, milestones, 0.1), 1e-15);
        Assert.AreEqual(0.001, LrSchedule.At(0.01, 10, milestones, 0.1), 1e-15);
        Assert.AreEqual(0.0001, LrSchedule.At(0.01, 25, milestones, 0.1), 1e-15);
        Assert.AreEqual(0.0005, LrSchedule.At(0.005, 12, milestones, 0.1), 1e-15);
    }

    [TestMethod]
    public void ClassWeightsAreOneMinusTheBatchShare()
    {
        long[] labels = [0, 0, 0, 1, 2, 2];
        var gamma = new float[6];
        ClassWeights.PerSample(labels, 3, gamma);
        CollectionAssert.AreEqual(new[] { 0.5f, 0.5f, 0.5f, 1 - 1f / 6, 1 - 2f / 6, 1 - 2f / 6 }, gamma);
    }

    [TestMethod]
    public void ClassWeightsSwitchedOffFeedOnes()
    {
        long[] labels = [0, 0, 0, 1, 2, 2];
        var gamma = new float[6];
        ClassWeights.Feed(labels, 3, gamma, enabled: true);
        Assert.AreEqual(0.5f, gamma[0]);
        ClassWeights.Feed(labels, 3, gamma, enabled: false);
        CollectionAssert.AreEqual(Enumerable.Repeat(1f, 6).ToArray(), gamma);
    }

    [TestMethod]
    public void AdjacencyIsConditionalProbabilityWithRowsSummingToOne()
    {
        // AU0 in 3 samples, AU1 in 2 (both with AU0), AU2 never; one sample unlabelled.
        float[]?[] labels = [[1, 1, 0], [1, 1, 0], [1, 0, 0], null];
        var a = AuAdjacency.FromLabels(labels, 3);
        // Raw A: A[0,0]=1, A[0,1]=P(0|1)=2/2=1, A[1,0]=P(1|0)=2/3, A[1,1]=1; row 2 empty -> self loop.
        Assert.AreEqual(0.5f, a[0], 1e-6f);
        Assert.AreEqual(0.5f, a[1], 1e-6f);
        Assert.AreEqual(2f / 3 / (1 + 2f / 3), a[3], 1e-6f);
        Assert.AreEqual(1f / (1 + 2f / 3), a[4], 1e-6f);
        CollectionAssert.AreEqual(new[] { 0f, 0f, 1f }, a.Skip(6).ToArray());
        var r = AuAdjacency.Random(4, 3);
        for (var p = 0; p < 4; p++) Assert.AreEqual(1f, r.Skip(p * 4).Take(4).Sum(), 1e-5f);
        CollectionAssert.AreEqual(r, AuAdjacency.Random(4, 3));
    }

    [TestMethod]
    public void ConfidenceSplitTakesTheTopShare()
    {
        var high = ConfidenceSplit.High([0.9f, 0.2f, 0.3f, 0.8f, 0.6f], 0.8);
        CollectionAssert.AreEqual(new[] { true, false, true, true, true }, high);
    }

    [TestMethod]
    public void TemplatesAverageAlphaWeightedFeaturesAndBlend()
    {
        var t = new SemanticTemplates(classes: 2, size: 2, momentum: 0.5);
        // Class 0 high samples: alpha 1 s=(2,0) and alpha 0.5 s=(0,4) -> (1, 1). Class 1 only low: no template.
        t.Update([2, 0, 0, 4, 9, 9], [1f, 0.5f, 0.1f], [0, 0, 1], [true, true, false]);
        Assert.IsTrue(t.Has(0));
        Assert.IsFalse(t.Has(1));
        CollectionAssert.AreEqual(new[] { 1f, 1f }, t.Template(0).ToArray());
        t.Update([3, 1], [1f], [0], [true]);
        CollectionAssert.AreEqual(new[] { 2f, 1f }, t.Template(0).ToArray());
        Assert.AreEqual(0, t.Distance(0, [4f, 2f]), 1e-9);
        Assert.AreEqual(1, t.Distance(0, [-1f, 2f]), 1e-9);
    }

    [TestMethod]
    public void LowConfidenceSampleTakesTheCloserTemplatesClass()
    {
        var t = new SemanticTemplates(3, 2, 0.9);
        t.Restore([[1, 0], [0, 1], null]);
        var store = new LabelStore([0, 0, 1, 0]);
        // Sample 0: high (kept). Sample 1: low, s points to class 1 -> relabel. Sample 2: low, own class nearest.
        // Sample 3: low, equidistant -> no change (needs a strictly positive gap).
        float[] logits = [0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0];
        var events = Relabeling.ByTemplates(t, [0, 1, 2, 3], [0, 1, 0, 1, 0.1f, 1, 1, 1], [0.9f, 0.2f, 0.3f, 0.1f], [true, false, false, false], logits, store, epoch: 5, margin: 0);
        CollectionAssert.AreEqual(new[] { 0, 1, 1, 0 }, store.Current);
        Assert.HasCount(1, events);
        var e = events[0];
        Assert.AreEqual((1, 5, 0, 1, 0.2f, 1.0, 0.0), (e.Sample, e.Epoch, e.OldLabel, e.NewLabel, e.Alpha, e.OldDistance, e.NewDistance));
        // The diagnostics: the classifier's softmax of sample 1's logits [0, 2, 0], its argmax, its alpha rank in the low group.
        var z = 2 + Math.Exp(2);
        Assert.AreEqual(1 / z, e.PLabel!.Value, 1e-6);
        Assert.AreEqual(Math.Exp(2) / z, e.PNew!.Value, 1e-6);
        Assert.AreEqual(1, e.Predicted);
        Assert.AreEqual(2, e.Rank, "alphas of the low group: 0.2, 0.3, 0.1");
        CollectionAssert.AreEqual(new[] { 0, 0, 1, 0 }, store.Initial);
    }

    [TestMethod]
    public void ScnRelabelsWhenThePredictionBeatsTheLabelByTheThreshold()
    {
        var store = new LabelStore([0, 0, 0]);
        // Low samples 1 and 2: sample 1 predicts class 2 with a wide margin, sample 2 only narrowly.
        float[] logits = [5, 0, 0, 0, 0, 3, 0.1f, 0, 0.2f];
        var events = Relabeling.Scn([0, 1, 2], logits, 3, [0.9f, 0.1f, 0.1f], [true, false, false], store, 10, 0.2, asInCode: false);
        CollectionAssert.AreEqual(new[] { 0, 2, 0 }, store.Current);
        Assert.HasCount(1, events);
    }
}
