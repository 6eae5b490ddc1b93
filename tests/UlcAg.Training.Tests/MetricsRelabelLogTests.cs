using UlcAg.Training.Metrics;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class MetricsRelabelLogTests
{
    private static readonly string[] Classes = ["Surprise", "Fear", "Disgust", "Happiness", "Sadness", "Anger", "Neutral"];

    private static RelabelRecord[] Batch(int epoch) =>
    [
        RelabelRecord.Create("train_00017.jpg", epoch, 6, 3, 0.125f, 0.61f, 0.2345678f, 3, Classes) with { PLabel = 0.2f, PNew = 0.7f, Predicted = 3, Rank = 4 },
        RelabelRecord.Create("folder,with \"quotes\"/img.png", epoch, 0, 1, 0.3f, null, null, null, Classes),
    ];

    [TestMethod]
    public void RoundTripsRowsWithQuotingAndMissingValues()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File(RunFolder.RelabelsFile);
        using (var writer = new RelabelLogWriter(path))
        {
            writer.Append(Batch(11));
            writer.Append([]);
        }
        var lines = File.ReadAllLines(path);
        Assert.AreEqual(RelabelLog.Header, lines[0]);
        Assert.AreEqual("train_00017.jpg,11,6,Neutral,3,Happiness,0.125,0.61,0.2345678,3,Happiness,0.2,0.7,3,4", lines[1]);
        var read = RelabelLog.Read(path);
        Assert.IsNull(read.Warning);
        CollectionAssert.AreEqual(Batch(11), read.Entries.ToArray());
        Assert.AreEqual(true, read.Entries[0].IsCorrection);
        Assert.IsNull(read.Entries[1].IsCorrection);
    }

    [TestMethod]
    public void IncompleteLastRowIsLeftOutAndTheWriterContinuesCleanly()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File(RunFolder.RelabelsFile);
        using (var writer = new RelabelLogWriter(path))
            writer.Append(Batch(11));
        File.AppendAllText(path, "train_00020.jpg,12,1,Fear,3,Happ");
        var read = RelabelLog.Read(path);
        Assert.AreEqual(2, read.Entries.Count);
        StringAssert.Contains(read.Warning, "line 4: incomplete last line");

        using (var writer = new RelabelLogWriter(path))
            writer.Append(Batch(12));
        read = RelabelLog.Read(path);
        Assert.IsNull(read.Warning);
        CollectionAssert.AreEqual(new[] { 11, 11, 12, 12 }, read.Entries.Select(r => r.Epoch).ToArray());
    }

    [TestMethod]
    public void MalformedRowNamesLineAndColumn()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File(RunFolder.RelabelsFile);
        File.WriteAllText(path, RelabelLog.Header + "\na.jpg,eleven,6,Neutral,3,Happiness,0.1,0.5,0.2,3,Happiness,,,,\n");
        var e = Assert.ThrowsExactly<MetricsFileException>(() => RelabelLog.Read(path));
        StringAssert.Contains(e.Message, "line 2: column 'epoch' is 'eleven'; expected an integer");

        File.WriteAllText(path, RelabelLog.Header + "\na.jpg,11,6\n");
        e = Assert.ThrowsExactly<MetricsFileException>(() => RelabelLog.Read(path));
        StringAssert.Contains(e.Message, "line 2: has 3 fields; expected 15");

        File.WriteAllText(path, RelabelLog.Header + "\n\"a.jpg,11,6\n");
        e = Assert.ThrowsExactly<MetricsFileException>(() => RelabelLog.Read(path));
        StringAssert.Contains(e.Message, "never closed");
    }

    [TestMethod]
    public void ForeignHeaderIsRefusedByReaderAndWriter()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File(RunFolder.RelabelsFile);
        File.WriteAllText(path, "id,label\nx,1\n");
        var e = Assert.ThrowsExactly<MetricsFileException>(() => RelabelLog.Read(path));
        StringAssert.Contains(e.Message, "line 1: header is 'id,label'");
        Assert.ThrowsExactly<MetricsFileException>(() => new RelabelLogWriter(path));
        Assert.AreEqual("id,label\nx,1\n", File.ReadAllText(path));
    }

    [TestMethod]
    public void ResumeTruncatesLaterEpochs()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File(RunFolder.RelabelsFile);
        using (var writer = new RelabelLogWriter(path))
        {
            writer.Append(Batch(11));
            writer.Append(Batch(12));
            writer.Append(Batch(13));
        }
        Assert.AreEqual(4, RelabelLog.TruncateAfter(path, 11));
        var read = RelabelLog.Read(path);
        CollectionAssert.AreEqual(new[] { 11, 11 }, read.Entries.Select(r => r.Epoch).ToArray());
    }

    [TestMethod]
    public void UnknownClassIndexIsRefused()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => RelabelRecord.Create("a", 1, 0, 9, 0.5f, null, null, null, Classes));
    }
}
