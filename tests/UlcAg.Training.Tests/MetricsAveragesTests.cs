using UlcAg.Training.Metrics;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class MetricsAveragesTests
{
    [TestMethod]
    public void RunningMeanWeighsByBatchSize()
    {
        var mean = new RunningMean();
        Assert.IsNull(mean.Mean);
        mean.Add(2, 2);
        mean.Add(4, 6);
        Assert.AreEqual(3.5, mean.Mean!.Value, 1e-12);
        mean.Reset();
        Assert.IsNull(mean.Mean);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => mean.Add(1, -1));
    }

    [TestMethod]
    public void MovingAverageIsBiasCorrected()
    {
        var average = new ExponentialMovingAverage(0.5);
        average.Add(2);
        Assert.AreEqual(2.0, average.Value!.Value, 1e-12);
        average.Add(4);
        // Biased 0.5*(0.5*2) + 0.5*4 = 2.5, divided by 1 - 0.5^2.
        Assert.AreEqual(2.5 / 0.75, average.Value!.Value, 1e-12);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage(1));
    }

    [TestMethod]
    public void LossAveragesKeepEpochMeanAndRecentValuePerTerm()
    {
        var losses = new LossAverages(0.5);
        losses.Add(new Dictionary<string, double> { ["custom"] = 7, ["wce"] = 1, ["total"] = 2 }, 2);
        losses.Add(new Dictionary<string, double> { ["wce"] = 3, ["total"] = 4 }, 6);
        var means = losses.EpochMeans;
        Assert.AreEqual(3.5, means["total"], 1e-12);
        Assert.AreEqual(2.5, means["wce"], 1e-12);
        Assert.AreEqual(7.0, means["custom"], 1e-12);
        CollectionAssert.AreEqual(new[] { "total", "wce", "custom" }, means.Keys.ToArray());
        Assert.AreEqual(2.5 / 0.75, losses.Recent["total"], 1e-12);
        losses.Reset();
        Assert.AreEqual(0, losses.EpochMeans.Count);
    }
}
