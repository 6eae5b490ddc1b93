using UlcAg.Training.Metrics;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class MetricsLogTests
{
    private static readonly int[] Clean = [0, 0, 1, 1, 2];
    private static readonly int[] Initial = [0, 1, 1, 2, 2];

    private static EpochMetrics Entry(int epoch, double total = 1.25) => new()
    {
        Epoch = epoch,
        Step = epoch * 40L,
        LearningRates = new Dictionary<string, double> { ["backbone"] = 0.01, ["aux"] = 0.005 },
        Lambda1 = 0.5,
        Lambda2 = 1,
        Losses = new Dictionary<string, double> { ["total"] = total, ["wce"] = 0.75, ["rr"] = 0.125, ["au"] = 0.5 },
        TrainAccuracy = 0.625,
        ValAccuracy = 0.7,
        ValMeanClassAccuracy = 0.55,
        Relabel = RelabelAudit.Compute(Initial, Initial, [0, 0, 1, 1, 2], Clean),
        AlphaAuc = 0.8125,
        ImagesPerSecond = 512.5,
        Seconds = 61.25,
    };

    [TestMethod]
    public void RoundTripsEveryField()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File(RunFolder.MetricsFile);
        using (var writer = new MetricsLogWriter(path))
        {
            writer.Append(Entry(1));
            writer.Append(new EpochMetrics { Epoch = 2, Step = 80 });
        }
        var read = MetricsLog.Read(path);
        Assert.IsNull(read.Warning);
        Assert.AreEqual(2, read.Entries.Count);
        var first = read.Entries[0];
        Assert.AreEqual(1, first.Epoch);
        Assert.AreEqual(40L, first.Step);
        Assert.AreEqual(0.005, first.LearningRates["aux"]);
        Assert.AreEqual(0.5, first.Lambda1);
        Assert.AreEqual(0.125, first.Losses["rr"]);
        Assert.AreEqual(0.55, first.ValMeanClassAccuracy);
        Assert.AreEqual(2, first.Relabel!.Changed);
        Assert.AreEqual(1.0, first.Relabel.Precision);
        Assert.AreEqual(1.0, first.Relabel.Recall);
        Assert.IsTrue(first.Relabel.CleanKnown);
        Assert.AreEqual(0.8125, first.AlphaAuc);
        Assert.AreEqual(61.25, first.Seconds);
        var second = read.Entries[1];
        Assert.IsNull(second.ValAccuracy);
        Assert.IsNull(second.Relabel);
        Assert.AreEqual(0, second.Losses.Count);
    }

    [TestMethod]
    public void LinesUseSnakeCaseAndShowDerivedShares()
    {
        var line = MetricsLog.ToJson(Entry(3));
        StringAssert.StartsWith(line, "{\"epoch\":3,");
        StringAssert.Contains(line, "\"lr\":{\"backbone\":0.01,\"aux\":0.005}");
        StringAssert.Contains(line, "\"loss\":{");
        StringAssert.Contains(line, "\"val_mean_class_accuracy\":0.55");
        StringAssert.Contains(line, "\"noisy_still_wrong\":0");
        StringAssert.Contains(line, "\"precision_total\":1");
        Assert.IsFalse(line.Contains('\n'));
        Assert.IsFalse(MetricsLog.ToJson(new EpochMetrics { Epoch = 1 }).Contains("val_accuracy"));
    }

    [TestMethod]
    public void DivergedLossSurvivesTheRoundTrip()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File(RunFolder.MetricsFile);
        using (var writer = new MetricsLogWriter(path))
            writer.Append(Entry(1, double.NaN));
        Assert.IsTrue(double.IsNaN(MetricsLog.Read(path).Entries[0].Losses["total"]));
    }

    [TestMethod]
    public void IncompleteLastLineIsLeftOutWithANote()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File(RunFolder.MetricsFile);
        var full = MetricsLog.ToJson(Entry(3));
        File.WriteAllText(path, MetricsLog.ToJson(Entry(1)) + "\n" + MetricsLog.ToJson(Entry(2)) + "\n" + full[..(full.Length / 2)]);
        var read = MetricsLog.Read(path);
        CollectionAssert.AreEqual(new[] { 1, 2 }, read.Entries.Select(e => e.Epoch).ToArray());
        StringAssert.Contains(read.Warning, "line 3: incomplete last line");
    }

    [TestMethod]
    public void CompleteLastLineWithoutNewlineIsKept()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File(RunFolder.MetricsFile);
        File.WriteAllText(path, MetricsLog.ToJson(Entry(1)));
        var read = MetricsLog.Read(path);
        Assert.AreEqual(1, read.Entries.Count);
        Assert.IsNull(read.Warning);
    }

    [TestMethod]
    public void BadLineInTheMiddleIsAnError()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File(RunFolder.MetricsFile);
        File.WriteAllText(path, MetricsLog.ToJson(Entry(1)) + "\n{\"epoch\": \"two\"}\n" + MetricsLog.ToJson(Entry(3)) + "\n");
        var e = Assert.ThrowsExactly<MetricsFileException>(() => MetricsLog.Read(path));
        StringAssert.Contains(e.Message, path + ", line 2: not an epoch entry");
        Assert.AreEqual(2, e.Line);
    }

    [TestMethod]
    public void EntryWithoutEpochIsAnError()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File(RunFolder.MetricsFile);
        File.WriteAllText(path, "{\"step\": 3}\n");
        var e = Assert.ThrowsExactly<MetricsFileException>(() => MetricsLog.Read(path));
        StringAssert.Contains(e.Message, "line 1");
        StringAssert.Contains(e.Message, "epoch");
    }

    [TestMethod]
    public void MissingFileIsNamed()
    {
        var e = Assert.ThrowsExactly<MetricsFileException>(() => MetricsLog.Read("/nonexistent/metrics.jsonl"));
        StringAssert.Contains(e.Message, "/nonexistent/metrics.jsonl: not found");
    }

    [TestMethod]
    public void WriterContinuesAfterACrashMidLine()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File(RunFolder.MetricsFile);
        File.WriteAllText(path, MetricsLog.ToJson(Entry(1)) + "\n{\"epoch\":2,\"st");
        using (var writer = new MetricsLogWriter(path))
            writer.Append(Entry(2));
        var read = MetricsLog.Read(path);
        Assert.IsNull(read.Warning);
        CollectionAssert.AreEqual(new[] { 1, 2 }, read.Entries.Select(e => e.Epoch).ToArray());
    }

    [TestMethod]
    public void EachAppendIsOnDiskBeforeDispose()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File(RunFolder.MetricsFile);
        using var writer = new MetricsLogWriter(path);
        writer.Append(Entry(1));
        Assert.AreEqual(1, MetricsLog.Read(path).Entries.Count);
        writer.Append(Entry(2));
        Assert.AreEqual(2, MetricsLog.Read(path).Entries.Count);
    }

    [TestMethod]
    public void ResumeTruncatesLaterEpochs()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File(RunFolder.MetricsFile);
        using (var writer = new MetricsLogWriter(path))
        {
            for (var epoch = 1; epoch <= 4; epoch++)
                writer.Append(Entry(epoch));
        }
        File.AppendAllText(path, "{\"epo");
        Assert.AreEqual(2, MetricsLog.TruncateAfter(path, 2));
        var read = MetricsLog.Read(path);
        Assert.IsNull(read.Warning);
        CollectionAssert.AreEqual(new[] { 1, 2 }, read.Entries.Select(e => e.Epoch).ToArray());
        Assert.AreEqual(0, MetricsLog.TruncateAfter(scratch.File("absent.jsonl"), 2));
        Assert.IsFalse(File.Exists(scratch.File("absent.jsonl")));
    }
}
