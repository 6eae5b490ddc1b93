using UlcAg.Training.Metrics;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class MetricsConfusionMatrixTests
{
    // Rows (truth) 0: [2 1 0], 1: [1 1 0], 2: [1 1 3]; class 3 has no samples.
    private static readonly int[] Truth = [0, 0, 0, 1, 1, 2, 2, 2, 2, 2];
    private static readonly int[] Predicted = [0, 0, 1, 1, 0, 2, 2, 2, 0, 1];

    [TestMethod]
    public void CountsPairsIntoRowsOfTruth()
    {
        var matrix = ConfusionMatrix.FromLabels(Truth, Predicted, 4);
        Assert.AreEqual(2, matrix[0, 0]);
        Assert.AreEqual(1, matrix[0, 1]);
        Assert.AreEqual(1, matrix[1, 0]);
        Assert.AreEqual(3, matrix[2, 2]);
        Assert.AreEqual(1, matrix[2, 1]);
        Assert.AreEqual(10L, matrix.Total);
        Assert.AreEqual(5L, matrix.Support(2));
        Assert.AreEqual(4L, matrix.PredictedCount(0));
    }

    [TestMethod]
    public void ScoresMatchHandComputation()
    {
        var matrix = ConfusionMatrix.FromLabels(Truth, Predicted, 4);
        Assert.AreEqual(0.6, matrix.Accuracy!.Value, 1e-12);
        Assert.AreEqual(2.0 / 3, matrix.ClassAccuracy(0)!.Value, 1e-12);
        Assert.AreEqual(0.5, matrix.Recall(1)!.Value, 1e-12);
        Assert.AreEqual(0.6, matrix.Recall(2)!.Value, 1e-12);
        Assert.IsNull(matrix.Recall(3));
        // The class without samples is left out of the mean, not counted as 0.
        Assert.AreEqual((2.0 / 3 + 0.5 + 0.6) / 3, matrix.MeanClassAccuracy!.Value, 1e-12);
        Assert.AreEqual(0.5, matrix.Precision(0)!.Value, 1e-12);
        Assert.AreEqual(1.0 / 3, matrix.Precision(1)!.Value, 1e-12);
        Assert.AreEqual(1.0, matrix.Precision(2)!.Value, 1e-12);
        Assert.IsNull(matrix.Precision(3));
    }

    [TestMethod]
    public void BalancedAccuracyDiffersFromAccuracyOnImbalancedData()
    {
        // 90 samples of class 0 all right, 10 of class 1 all predicted as 0.
        var truth = Enumerable.Repeat(0, 90).Concat(Enumerable.Repeat(1, 10)).ToArray();
        var predicted = new int[100];
        var matrix = ConfusionMatrix.FromLabels(truth, predicted, 2);
        Assert.AreEqual(0.9, matrix.Accuracy!.Value, 1e-12);
        Assert.AreEqual(0.5, matrix.MeanClassAccuracy!.Value, 1e-12);
    }

    [TestMethod]
    public void RowNormalizedRowsSumToOne()
    {
        var shares = ConfusionMatrix.FromLabels(Truth, Predicted, 4).RowNormalized();
        Assert.AreEqual(0.2, shares[2, 0], 1e-12);
        Assert.AreEqual(0.6, shares[2, 2], 1e-12);
        for (var t = 0; t < 3; t++)
            Assert.AreEqual(1.0, Enumerable.Range(0, 4).Sum(p => shares[t, p]), 1e-12);
        Assert.AreEqual(0.0, Enumerable.Range(0, 4).Sum(p => shares[3, p]));
    }

    [TestMethod]
    public void EmptyMatrixHasNoScores()
    {
        var matrix = ConfusionMatrix.FromLabels([], [], 3);
        Assert.IsNull(matrix.Accuracy);
        Assert.IsNull(matrix.MeanClassAccuracy);
    }

    [TestMethod]
    public void BadLabelsAreNamed()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => ConfusionMatrix.FromLabels([0, 1], [0, 7], 3));
        StringAssert.Contains(e.Message, "Label 7 at position 1");
        StringAssert.Contains(e.Message, "0..2");
        Assert.ThrowsExactly<ArgumentException>(() => ConfusionMatrix.FromLabels([0, 1], [0], 3));
        Assert.ThrowsExactly<ArgumentException>(() => new ConfusionMatrix(new int[2, 3]));
    }

    [TestMethod]
    public void TableIsCopiedIn()
    {
        var counts = new int[,] { { 1, 0 }, { 0, 1 } };
        var matrix = new ConfusionMatrix(counts);
        counts[0, 0] = 99;
        Assert.AreEqual(1, matrix[0, 0]);
        Assert.AreEqual(1.0, matrix.Accuracy!.Value);
    }
}
