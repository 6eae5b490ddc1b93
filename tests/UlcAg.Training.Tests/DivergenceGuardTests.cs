using UlcAg.Training.Metrics;
using UlcAg.Training.Trainer;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class DivergenceGuardTests
{
    private static readonly string[] Classes = ["Surprise", "Fear", "Happiness"];

    [TestMethod]
    public void SoundStepsPassAndNonFiniteOrExplodingOutputsAreNamed()
    {
        float[] logits = [1, -2, 3, 0.5f, 0, -1];
        float[] alpha = [0.4f, 0.9f];
        Assert.IsNull(DivergenceGuard.CheckStep(1.2f, logits, alpha, 2, 3));
        StringAssert.Contains(DivergenceGuard.CheckStep(float.NaN, logits, alpha, 2, 3), "the loss became NaN");
        StringAssert.Contains(DivergenceGuard.CheckStep(1, logits, [0.4f, float.NaN], 2, 3), "alpha became NaN (sample 2 of the batch)");
        StringAssert.Contains(DivergenceGuard.CheckStep(1, [1, 2, 3, 4, 2e5f, 6], alpha, 2, 3), "a logit became 200000 (sample 2");
        // Values past the batch's count (a partial last batch's padding) are not read.
        Assert.IsNull(DivergenceGuard.CheckStep(1, [1, 2, 3, float.NaN, 0, 0], [0.5f, float.NaN], 1, 3));
    }

    [TestMethod]
    public void ExplodingBatchNormStatisticsAndNonFiniteWeightsAreNamed()
    {
        var weights = new Dictionary<string, float[]> { ["bn1.running_var"] = [1, 2], ["fc.weight"] = [1e9f, -3] };
        Assert.IsNull(DivergenceGuard.CheckWeights(weights), "large weights are allowed; only statistics have a bound");
        weights["bn1.running_var"] = [1, 1.4e24f];
        StringAssert.Contains(DivergenceGuard.CheckWeights(weights), "the batch-norm statistic bn1.running_var reached 1.4E+24");
        weights["bn1.running_var"] = [1, 2];
        weights["fc.weight"] = [float.PositiveInfinity];
        StringAssert.Contains(DivergenceGuard.CheckWeights(weights), "the weight fc.weight became");
    }

    [TestMethod]
    public void OneClassForEveryImageWithCertaintyIsACollapse()
    {
        var collapsed = ConfusionMatrix.FromLabels([0, 1, 2, 2], [2, 2, 2, 2], 3);
        var saturated = DivergenceGuard.CheckPredictions(collapsed, 1.0, 500, Classes, "validation");
        Assert.IsTrue(saturated!.Value.Diverged);
        StringAssert.Contains(saturated.Value.Text, "the model answers Happiness for all 4 validation images, which hold 3 classes");
        // An undertrained model that hesitates is warned about, not stopped.
        Assert.IsFalse(DivergenceGuard.CheckPredictions(collapsed, 0.4, 500, Classes, "validation")!.Value.Diverged);
        Assert.IsFalse(DivergenceGuard.CheckPredictions(collapsed, 1.0, 20, Classes, "validation")!.Value.Diverged, "batch norm has not settled after 20 steps");
        Assert.IsNull(DivergenceGuard.CheckPredictions(ConfusionMatrix.FromLabels([0, 1, 2, 2], [2, 1, 2, 2], 3), 1.0, 500, Classes, "validation"));
        Assert.IsNull(DivergenceGuard.CheckPredictions(ConfusionMatrix.FromLabels([2, 2], [2, 2], 3), 1.0, 500, Classes, "validation"), "one class in the split is no collapse");
        Assert.AreEqual(1.0, DivergenceGuard.TopProbability([0, 1e6f, -3]), 1e-12);
        Assert.AreEqual(0.5, DivergenceGuard.TopProbability([2, 2]), 1e-12);
    }
}
