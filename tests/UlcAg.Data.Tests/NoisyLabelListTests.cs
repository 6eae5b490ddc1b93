using UlcAg.Data.Formats;
using UlcAg.Data.Issues;
using UlcAg.Data.Noise;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class NoisyLabelListTests
{
    private static DatasetSplit Split() =>
        new("rafdb", "train", RafDbAdapter.ClassNames, [],
        [
            new Sample("train_00001.jpg", new ImageSource.File("/x/1.jpg"), 4),
            new Sample("train_00002.jpg", new ImageSource.File("/x/2.jpg"), 0),
            new Sample("train_00003.jpg", new ImageSource.File("/x/3.jpg"), 6),
        ]);

    [TestMethod]
    public void WritesRafDbFormatAndReadsItBack()
    {
        using var fixture = new Fixture();
        var noisy = LabelNoise.Inject(Split(), new NoiseOptions { Rate = 1.0, Seed = 4 }).Split;
        var path = fixture.PathOf("noise/list_noise.txt");
        NoisyLabelList.Write(path, noisy);
        var lines = File.ReadAllLines(path);
        CollectionAssert.AreEqual(noisy.Samples.Select(s => $"{s.Id} {s.Label + 1}").ToArray(), lines);
        var report = new IssueReport(IssuePolicy.Fail);
        var entries = NoisyLabelList.Read(path, 7, report);
        CollectionAssert.AreEqual(noisy.Samples.Select(s => (s.Id, s.Label)).ToArray(), entries.Select(e => (e.Name, e.Label)).ToArray());
        var applied = NoisyLabelList.Apply(Split(), path, report);
        CollectionAssert.AreEqual(noisy.Samples.Select(s => s.Label).ToArray(), applied.Samples.Select(s => s.Label).ToArray());
        CollectionAssert.AreEqual(new int?[] { 4, 0, 6 }, applied.Samples.Select(s => s.CleanLabel).ToArray());
        Assert.AreEqual(3, report.TallyOf(NoisyLabelList.ChangedTally));
    }

    [TestMethod]
    public void PublishedListMatchesByIdOrStemAndLeavesOthers()
    {
        using var fixture = new Fixture();
        var path = fixture.Write("noise.txt", "train_00001.jpg 2", "", "train_00003_aligned.jpg  7");
        var report = new IssueReport(IssuePolicy.Fail);
        var applied = NoisyLabelList.Apply(Split(), path, report);
        CollectionAssert.AreEqual(new[] { 1, 0, 6 }, applied.Samples.Select(s => s.Label).ToArray());
        CollectionAssert.AreEqual(new int?[] { 4, null, 6 }, applied.Samples.Select(s => s.CleanLabel).ToArray());
        Assert.AreEqual(1, report.TallyOf(NoisyLabelList.ChangedTally));
        Assert.AreEqual(1, report.TallyOf(NoisyLabelList.UnlistedTally));
    }

    [TestMethod]
    [DataRow("train_00009.jpg 3", IssueKind.UnknownSample, "field 'name'", "not a sample of split 'train'")]
    [DataRow("train_00002.jpg 8", IssueKind.BadLabel, "field 'label'", "8 is out of range")]
    [DataRow("train_00002.jpg x", IssueKind.BadNumber, "field 'label'", "'x' is not an integer")]
    [DataRow("train_00002.jpg", IssueKind.MalformedRow, "line 2", "1 fields")]
    [DataRow("train_00001.jpg 3", IssueKind.DuplicateId, "line 2", "already appeared on line 1")]
    [DataRow("train_00001_aligned.jpg 3", IssueKind.DuplicateId, "line 2", "a second time")]
    public void BadListLinesUnderBothPolicies(string bad, IssueKind kind, string where, string what)
    {
        using var fixture = new Fixture();
        var path = fixture.Write("noise.txt", "train_00001.jpg 2", bad, "train_00003.jpg 1");
        var applied = Policies.Check<DatasetSplit>(policy =>
        {
            var report = new IssueReport(policy);
            return (() => NoisyLabelList.Apply(Split(), path, report), report);
        }, kind, 1, "noise.txt", where, what);
        CollectionAssert.AreEqual(new[] { 1, 0, 0 }, applied.Samples.Select(s => s.Label).ToArray());
    }

    [TestMethod]
    public void MissingListIsFatal()
    {
        using var fixture = new Fixture();
        Policies.Fatal(p => NoisyLabelList.Apply(Split(), fixture.PathOf("absent.txt"), new IssueReport(p)), IssueKind.UnreadableFile, "absent.txt: the file does not exist");
    }

    [TestMethod]
    public void IdsWithSpacesCannotBeWritten()
    {
        using var fixture = new Fixture();
        var split = Split() with { Samples = [new Sample("my photo.jpg", new ImageSource.File("/x"), 0)] };
        Assert.ThrowsExactly<ArgumentException>(() => NoisyLabelList.Write(fixture.PathOf("l.txt"), split));
        Assert.IsFalse(File.Exists(fixture.PathOf("l.txt")));
    }
}
