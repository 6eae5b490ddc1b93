using UlcAg.Network.Models;
using UlcAg.Training.Config;
using UlcAg.Training.Correction;
using UlcAg.Training.Methods;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class CorrectionPolicyTests
{
    [TestMethod]
    public void PaperRuleComparesWithTheOriginalLabelAndCanUndoAChange()
    {
        var t = new SemanticTemplates(2, 2, 0);
        t.Restore([[1, 0], [0, 1]]);
        var store = new LabelStore([0, 0]);
        bool[] low = [false, false];
        float[] logits = new float[4];
        // Batch 1: sample 0's s points to class 1 -> relabeled.
        Relabeling.ByTemplates(t, [0, 1], [0, 1, 1, 0], [0.1f, 0.9f], low, logits, store, 1, 0);
        CollectionAssert.AreEqual(new[] { 1, 0 }, store.Current);
        // Batch 2: its s points back to class 0: eq. 10 compares with "org", the original label, and returns to it.
        var back = Relabeling.ByTemplates(t, [0], [1, 0], [0.1f], [false], new float[2], store, 2, 0);
        CollectionAssert.AreEqual(new[] { 0, 0 }, store.Current);
        Assert.AreEqual((1, 0), (back[0].OldLabel, back[0].NewLabel));
    }

    [TestMethod]
    public void ScnAsItsCodeRelabelsEverySampleOnAlphaScaledLogits()
    {
        // Sample 0 is in the high group; its logits favour class 1 by 3, its alpha 0.9 keeps that margin: relabeled as in SCN's code, not as its text reads.
        float[] logits = [0, 3, 0, 0, 3, 0];
        float[] alpha = [0.9f, 0.1f];
        bool[] high = [true, false];
        var code = new LabelStore([0, 0]);
        Relabeling.Scn([0, 1], logits, 3, alpha, high, code, 1, 0.2, asInCode: true);
        // Sample 1: alpha 0.1 flattens its logits (softmax of [0, 0.3, 0]: the margin is 0.09 < 0.2), so the code keeps its label ...
        CollectionAssert.AreEqual(new[] { 1, 0 }, code.Current);
        // ... while the text's reading, on the raw logits of the low group, changes it.
        var text = new LabelStore([0, 0]);
        Relabeling.Scn([0, 1], logits, 3, alpha, high, text, 1, 0.2, asInCode: false);
        CollectionAssert.AreEqual(new[] { 0, 1 }, text.Current);
    }

    [TestMethod]
    public void ConfidenceGroupsAreCountedTheSameWayEverywhere()
    {
        for (var n = 2; n <= 70; n++)
        {
            foreach (var ratio in new[] { 0.05, 0.2, 0.5, 0.7, 0.8, 0.95 })
            {
                var alpha = Enumerable.Range(0, n).Select(i => (float)((i * 37) % n)).ToArray();
                var high = ConfidenceSplit.High(alpha, ratio).Count(h => h);
                Assert.AreEqual(ConfidenceGroups.HighCount(n, ratio), high, $"n {n}, ratio {ratio}");
                Assert.AreEqual(ConfidenceGroups.BothGroupsOccupied(n, ratio), high == (int)Math.Round(ratio * n), $"n {n}, ratio {ratio}: the check accepts exactly the unclamped splits");
            }
        }
    }

    // A tiny world for the robust policy: 3 classes, s in 2-D (class c's AU pattern points at angle c * 120 deg), 8 samples per class.
    private const int Classes = 3, PerClass = 8, Size = 2;

    private static float[] Pattern(int c) => [MathF.Cos(c * 2 * MathF.PI / 3), MathF.Sin(c * 2 * MathF.PI / 3)];

    /// <summary>Outputs where every sample looks like <paramref name="truth"/>[i] with classifier confidence <paramref name="confidence"/>[i] (logit gap).</summary>
    private static TrainingSetOutputs Outputs(int[] truth, float[] confidence)
    {
        var n = truth.Length;
        var logits = new float[n * Classes];
        var semantic = new float[n * Size];
        for (var i = 0; i < n; i++)
        {
            logits[i * Classes + truth[i]] = confidence[i];
            Pattern(truth[i]).CopyTo(semantic, i * Size);
            semantic[i * Size] += 0.01f * (i % 5);
        }
        return new TrainingSetOutputs(logits, Enumerable.Repeat(0.8f, n).ToArray(), semantic, Classes, Size);
    }

    private static (int[] Truth, int[] Given) World()
    {
        var truth = Enumerable.Range(0, Classes * PerClass).Select(i => i / PerClass).ToArray();
        var given = truth.ToArray();
        given[0] = 1;   // noisy: truly class 0, labelled 1
        given[9] = 2;   // noisy: truly class 1, labelled 2
        return (truth, given);
    }

    private static RobustCorrection Policy(RobustCorrectionOptions? o = null) =>
        new(o ?? new RobustCorrectionOptions { MinTrusted = 3, EvidenceMomentum = 0 }, Classes * PerClass, Classes, Size);

    [TestMethod]
    public void RobustPolicyCorrectsOnlyAfterConsecutiveAgreeingEpochs()
    {
        var (truth, given) = World();
        var labels = new LabelStore(given);
        var policy = Policy();
        var confident = Enumerable.Repeat(6f, truth.Length).ToArray();
        Assert.IsEmpty(policy.Update(Outputs(truth, confident), labels, epoch: 3, decide: true), "one epoch of evidence is not enough");
        var events = policy.Update(Outputs(truth, confident), labels, epoch: 4, decide: true);
        CollectionAssert.AreEquivalent(new[] { 0, 9 }, events.Select(e => e.Sample).ToArray());
        CollectionAssert.AreEqual(truth, labels.Current, "both noisy labels corrected, no clean one touched");
        var e0 = events.Single(e => e.Sample == 0);
        Assert.AreEqual((1, 0, 5, 0), (e0.OldLabel, e0.NewLabel, e0.Epoch, e0.Predicted!.Value));
        Assert.IsGreaterThan(e0.PLabel!.Value + 0.3f, e0.PNew!.Value);
        Assert.IsLessThan(e0.OldDistance, e0.NewDistance);
    }

    [TestMethod]
    public void RobustPolicyNeedsTheMarginAndBothViewsBehindTheNewClass()
    {
        var (truth, given) = World();
        // Sample 0: the classifier barely prefers its true class 0 (logit gap 0.5; the others 6) and its AUs sit halfway
        // between class 0's and class 1's (its label's): the combined posterior does not clear the margin.
        var weak = Enumerable.Repeat(6f, truth.Length).ToArray();
        weak[0] = 0.5f;
        var halfway = Outputs(truth, weak);
        float[] between = [(Pattern(0)[0] + Pattern(1)[0]) / 2, (Pattern(0)[1] + Pattern(1)[1]) / 2];
        between.CopyTo(halfway.Semantic!, 0);
        var labels = new LabelStore(given);
        var policy = Policy();
        for (var epoch = 3; epoch < 6; epoch++) policy.Update(halfway, labels, epoch, decide: true);
        Assert.AreEqual(1, labels.Current[0], "the absolute test keeps a label the evidence barely disputes");
        Assert.AreEqual(1, labels.Current[9], "sample 9, clearly class 1 in both views, is corrected");
        var posterior = policy.Posterior(0, originalLabel: 1);
        Assert.IsLessThan(0.8, posterior[0], $"posterior {string.Join(", ", posterior)}");

        // Sample 9's AUs look like class 2 (its label), while the classifier says class 1: the views disagree, no change.
        var conflicted = Outputs(truth, Enumerable.Repeat(6f, truth.Length).ToArray());
        Pattern(2).CopyTo(conflicted.Semantic!, 9 * Size);
        var second = new LabelStore(given);
        var other = Policy();
        for (var epoch = 3; epoch < 6; epoch++) other.Update(conflicted, second, epoch, decide: true);
        Assert.AreEqual(2, second.Current[9]);
        Assert.AreEqual(0, second.Current[0]);
        // With the AU view switched off, the classifier alone decides.
        var alone = new LabelStore(given);
        var classifierOnly = Policy(new RobustCorrectionOptions { MinTrusted = 3, EvidenceMomentum = 0, AuView = AuView.None });
        for (var epoch = 3; epoch < 6; epoch++) classifierOnly.Update(conflicted, alone, epoch, decide: true);
        Assert.AreEqual(1, alone.Current[9]);
    }

    [TestMethod]
    public void RobustPolicyReadsTheSamplesAuLabelsWhereTheScoresSayNothing()
    {
        var (truth, given) = World();
        // The AU branch's scores are the same for every sample; the AU labels carry the pattern, with one AU label missing.
        var blind = Outputs(truth, Enumerable.Repeat(6f, truth.Length).ToArray());
        Array.Fill(blind.Semantic!, 0.5f);
        var auLabels = truth.Select((c, i) => i == 5 ? null : Pattern(c)).ToArray();
        foreach (var (view, corrected) in new[] { (AuView.Pseudo, true), (AuView.Predicted, true), (AuView.None, true) })
        {
            var labels = new LabelStore(given);
            var policy = new RobustCorrection(new RobustCorrectionOptions { MinTrusted = 3, EvidenceMomentum = 0, AuView = view }, truth.Length, Classes, Size, auLabels, Size);
            Assert.AreEqual(view is AuView.Pseudo, policy.UsesAuLabels);
            Assert.AreEqual(view is AuView.Predicted, policy.UsesPredictedAus);
            for (var epoch = 3; epoch < 5; epoch++) policy.Update(blind, labels, epoch, decide: true);
            Assert.AreEqual(corrected, labels.Current.SequenceEqual(truth), view.ToString());
        }
        // The classifier switched off: only the AU labels can correct, and they do.
        var auOnly = new LabelStore(given);
        var byLabels = new RobustCorrection(new RobustCorrectionOptions { MinTrusted = 3, EvidenceMomentum = 0, AuView = AuView.Pseudo, Classifier = false }, truth.Length, Classes, Size, auLabels, Size);
        // A classifier that barely knows the classes (logit gap 0.3) ranks the trusted samples but does not vote.
        var flat = Outputs(truth, Enumerable.Repeat(0.3f, truth.Length).ToArray());
        Array.Fill(flat.Semantic!, 0.5f);
        for (var epoch = 3; epoch < 5; epoch++) byLabels.Update(flat, auOnly, epoch, decide: true);
        CollectionAssert.AreEqual(truth, auOnly.Current);
        // ... while on the uninformative scores alone nothing moves.
        var scoresOnly = new LabelStore(given);
        var byScores = new RobustCorrection(new RobustCorrectionOptions { MinTrusted = 3, EvidenceMomentum = 0, AuView = AuView.Predicted, Classifier = false }, truth.Length, Classes, Size, auLabels, Size);
        for (var epoch = 3; epoch < 5; epoch++) byScores.Update(flat, scoresOnly, epoch, decide: true);
        CollectionAssert.AreEqual(given, scoresOnly.Current);
    }

    [TestMethod]
    public void TheNoiseRateEstimateFindsTheShareOfWrongLabels()
    {
        const int n = 900;
        var truth = Enumerable.Range(0, n).Select(i => i % Classes).ToArray();
        // A classifier that knows every sample's class with probability 0.995 (logit gap 6).
        var outputs = Outputs(truth, Enumerable.Repeat(6f, n).ToArray());
        foreach (var rate in new[] { 0.0, 0.1, 0.3 })
        {
            var rng = new Random(7);
            var given = truth.Select(t => rng.NextDouble() < rate ? (t + 1 + rng.Next(Classes - 1)) % Classes : t).ToArray();
            var wrong = given.Zip(truth).Count(p => p.First != p.Second) / (double)n;
            var policy = new RobustCorrection(new RobustCorrectionOptions { EvidenceMomentum = 0, AuView = AuView.None }, n, Classes, Size);
            var labels = new LabelStore(given);
            policy.Update(outputs, labels, 3, decide: true);
            Assert.AreEqual(wrong, policy.EstimatedNoiseRate, 0.03, $"{wrong:P1} wrong labels");
            // The label counts as evidence: on clean labels even a 0.995-sure classifier does not overrule it.
            Assert.AreEqual(rate == 0, policy.Posterior(0, originalLabel: 1)[0] < 0.5, $"rate {rate}");
        }
    }

    [TestMethod]
    public void RobustPolicyChangesOnceAndRevertsWhenTheEvidenceFlipsBack()
    {
        var (truth, given) = World();
        var labels = new LabelStore(given);
        var policy = Policy();
        var confident = Enumerable.Repeat(6f, truth.Length).ToArray();
        policy.Update(Outputs(truth, confident), labels, 3, true);
        policy.Update(Outputs(truth, confident), labels, 4, true);
        Assert.AreEqual(0, labels.Current[0]);
        // Sample 0 now looks like class 2: it may not move again (one change per sample) ...
        var moved = truth.ToArray();
        moved[0] = 2;
        for (var epoch = 5; epoch < 8; epoch++) policy.Update(Outputs(moved, confident), labels, epoch, true);
        Assert.AreEqual(0, labels.Current[0], "a corrected sample takes no second new class");
        // ... but when the evidence points back to its original label for two epochs, it returns there.
        var back = truth.ToArray();
        back[0] = 1;
        Assert.IsEmpty(policy.Update(Outputs(back, confident), labels, 8, true));
        var reverted = policy.Update(Outputs(back, confident), labels, 9, true);
        Assert.AreEqual((0, 0, 1), (reverted.Single().Sample, reverted.Single().OldLabel, reverted.Single().NewLabel));
    }

    [TestMethod]
    public void RobustPolicyStateSurvivesACheckpoint()
    {
        var (truth, given) = World();
        var confident = Enumerable.Repeat(6f, truth.Length).ToArray();
        var straight = new LabelStore(given);
        var a = Policy(new RobustCorrectionOptions { MinTrusted = 3 });
        a.Update(Outputs(truth, confident), straight, 3, true);
        var resumed = new LabelStore(given);
        var b = Policy(new RobustCorrectionOptions { MinTrusted = 3 });
        b.Restore(a.Snapshot());
        // The second epoch's vote completes the streak the first one began, in both.
        var fromA = a.Update(Outputs(truth, confident), straight, 4, true);
        var fromB = b.Update(Outputs(truth, confident), resumed, 4, true);
        Assert.HasCount(2, fromA);
        CollectionAssert.AreEqual(fromA.Select(e => (e.Sample, e.NewLabel)).ToArray(), fromB.Select(e => (e.Sample, e.NewLabel)).ToArray());
        CollectionAssert.AreEqual(a.Evidence.Probabilities, b.Evidence.Probabilities);
    }

    [TestMethod]
    public void ARestoreAfterTheLastEpochTestsWithTheSameTemplatesAndTrustedSamples()
    {
        var (truth, given) = World();
        var a = Policy(new RobustCorrectionOptions { MinTrusted = 3 });
        a.Update(Outputs(truth, Enumerable.Repeat(6f, truth.Length).ToArray()), new LabelStore(given), 3, true);
        var b = Policy(new RobustCorrectionOptions { MinTrusted = 3 });
        b.Restore(a.Snapshot());
        // No further update: what the final test reads must be what the straight run had.
        Assert.AreEqual(a.Templates.DistanceKind, b.Templates.DistanceKind);
        for (var c = 0; c < a.Templates.Classes; c++)
        {
            Assert.AreEqual(a.Templates.Has(c), b.Templates.Has(c));
            if (a.Templates.Has(c)) CollectionAssert.AreEqual(a.Templates.Template(c).ToArray(), b.Templates.Template(c).ToArray());
        }
        float[] s = [0.7f, -0.4f, 1.3f];
        CollectionAssert.AreEqual(a.ToTemplateSpace(s.AsSpan(0, a.Space.Size)), b.ToTemplateSpace(s.AsSpan(0, b.Space.Size)));
        Assert.HasCount(a.LatestTrusted!.Length, b.LatestTrusted!);
        for (var c = 0; c < a.LatestTrusted.Length; c++) CollectionAssert.AreEqual(a.LatestTrusted[c].ToArray(), b.LatestTrusted![c].ToArray());
    }

    [TestMethod]
    public void AuLabelScaleIsTheLogitOfTheLabelProbabilityAndKeepsEachAusOrder()
    {
        // logit(rho + (1 - rho) sigmoid(s)) by hand, per AU with its own rate, from a sure absence (-60) to a sure presence (40).
        float[] rho = [0.1f, 0.02f];
        var scale = new AuLabelScale(rho);
        float[] scores = [-60f, -3f, 0f, 2.5f, 40f];
        for (var k = 0; k < 2; k++)
        {
            var previous = double.NegativeInfinity;
            foreach (var s in scores)
            {
                var got = scale.Map(k == 0 ? [s, 0f] : [0f, s])[k];
                var r = (double)rho[k];
                var logQ = Math.Log(r + (1 - r) / (1 + Math.Exp(-s)));
                var logNotQ = Math.Log(1 - r) - (Math.Max(s, 0) + Math.Log(1 + Math.Exp(-Math.Abs(s))));
                Assert.AreEqual(logQ - logNotQ, got, 1e-4 * Math.Max(1, Math.Abs(logQ - logNotQ)), $"AU {k}, s = {s}");
                Assert.IsGreaterThan(previous, got, $"AU {k}: the order of the scores");
                previous = got;
            }
        }
        // A sure absence sits at logit rho, however deep its score.
        Assert.AreEqual(scale.Map([-60f, 0f])[0], scale.Map([-20f, 0f])[0], 1e-6);
        Assert.AreEqual(Math.Log(0.1 / 0.9), scale.Map([-60f, 0f])[0], 1e-5);
        foreach (float[] bad in (float[][])[[0f, 0.1f], [0.1f, 1f], [float.NaN, 0.1f], [0.1f, -0.05f]])
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AuLabelScale(bad), string.Join(", ", bad));
    }

    [TestMethod]
    public void ForwardCorrectedScoresReachTheTemplatesOnTheLabelsScaleAndLeaveTheDecisionsAsTheyAre()
    {
        // The same evidence with absences of varying depth (-2 to -14): the decisions read s as it is, the
        // templates on the labels' scale.
        var (truth, given) = World();
        var outputs = Outputs(truth, Enumerable.Repeat(6f, truth.Length).ToArray());
        var raw = outputs.Semantic!;
        for (var i = 0; i < raw.Length; i++) raw[i] = 4 * raw[i] - 6 - (i % 7);
        var scale = new AuLabelScale([0.1f, 0.05f]);
        var options = new RobustCorrectionOptions { MinTrusted = 3, EvidenceMomentum = 0 };
        var plain = new RobustCorrection(options, truth.Length, Classes, Size);
        var scaled = new RobustCorrection(options, truth.Length, Classes, Size, labelScale: scale);
        var (plainLabels, scaledLabels) = (new LabelStore(given), new LabelStore(given));
        for (var epoch = 3; epoch <= 4; epoch++)
        {
            var a = plain.Update(outputs, plainLabels, epoch, decide: true);
            var b = scaled.Update(outputs, scaledLabels, epoch, decide: true);
            CollectionAssert.AreEqual(a.Select(e => (e.Sample, e.NewLabel)).ToArray(), b.Select(e => (e.Sample, e.NewLabel)).ToArray(), $"epoch {epoch}: the same decisions");
        }
        CollectionAssert.AreEqual(truth, scaledLabels.Current, "both noisy labels corrected, no clean one touched");
        CollectionAssert.AreEqual(plainLabels.Current, scaledLabels.Current);
        // The AU view standardizes s as it is, not its labels'-scale form, also after a checkpoint.
        var restored = new RobustCorrection(options, truth.Length, Classes, Size, labelScale: scale);
        restored.Restore(scaled.Snapshot());
        foreach (var policy in new[] { scaled, restored })
        {
            CollectionAssert.AreEqual(plain.Scale.Mean, policy.Scale.Mean);
            CollectionAssert.AreEqual(plain.Scale.Std, policy.Scale.Std);
        }
        CollectionAssert.AreEqual(scaled.ToTemplateSpace([-9f, 1.5f]), restored.ToTemplateSpace([-9f, 1.5f]));
        // The templates: the trusted samples' means of s on the labels' scale, in a space fitted to those rows.
        var features = scale.MapRows(raw);
        CollectionAssert.AreEqual(features, scaled.TemplateFeatures(raw));
        var space = TemplateSpace.Fit(features, Size, scaled.LatestTrusted!, options.Standardize, options.WhitenTemplates);
        var means = space.ClassMeans(space.MapRows(features), scaled.LatestTrusted!);
        for (var c = 0; c < Classes; c++) CollectionAssert.AreEqual(means[c], scaled.Templates.Template(c).ToArray(), $"template {c}");
        float[] s = [-9f, 1.5f];
        CollectionAssert.AreEqual(space.Map(scale.Map(s)), scaled.ToTemplateSpace(s));
    }

    [TestMethod]
    public void ACheckpointFromBeforeTheTemplateSpaceRestoresCosineTemplatesOfStandardizedScores()
    {
        var (truth, given) = World();
        var a = Policy(new RobustCorrectionOptions { MinTrusted = 3 });
        a.Update(Outputs(truth, Enumerable.Repeat(6f, truth.Length).ToArray()), new LabelStore(given), 3, true);
        var old = a.Snapshot();
        var (mean, std) = a.Scale;
        old.Remove("template_space");
        old.Remove("trusted");
        old["scale"] = [.. mean, .. std];
        var b = Policy(new RobustCorrectionOptions { MinTrusted = 3 });
        b.Restore(old);
        Assert.AreEqual(TemplateDistance.Cosine, b.Templates.DistanceKind);
        Assert.IsFalse(b.Space.Whitened);
        var s = Enumerable.Range(0, mean.Length).Select(k => 0.5f * k - 1).ToArray();
        var z = b.ToTemplateSpace(s);
        for (var k = 0; k < s.Length; k++) Assert.AreEqual((s[k] - mean[k]) / std[k], z[k], 1e-6);
    }
}
