using UlcAg.Data.Formats;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class FerPlusAdapterTests
{
    private static Fixture Make(string[]? votes = null, string[]? pixels = null)
    {
        var fixture = new Fixture();
        fixture.Write("fer2013.csv", pixels ?? FerFixtures.Fer2013Lines());
        fixture.Write("fer2013new.csv", votes ?? FerFixtures.FerPlusLines());
        return fixture;
    }

    [TestMethod]
    public void MajorityVoteWithTheStatedRules()
    {
        using var fixture = Make();
        var adapter = DatasetFactory.Create(fixture.Options(DataFormat.FerPlus));
        var train = adapter.Load("train");
        var val = adapter.Load("val");
        var test = adapter.Load("test");
        CollectionAssert.AreEqual(new[] { "Neutral", "Happiness", "Surprise", "Sadness", "Anger", "Disgust", "Fear" }, train.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { "fer0000000.png" }, train.Samples.Select(s => s.Id).ToArray());
        Assert.AreEqual(1, train.Samples[0].Label);
        CollectionAssert.AreEqual(new[] { "fer0000007.png" }, val.Samples.Select(s => s.Id).ToArray());
        Assert.AreEqual(6, val.Samples[0].Label);
        Assert.IsEmpty(test.Samples);
        var report = adapter.Report;
        Assert.AreEqual(1, report.TallyOf(FerPlusAdapter.EmptyNameTally));
        Assert.AreEqual(1, report.TallyOf(FerPlusAdapter.TieTally));
        Assert.AreEqual(1, report.TallyOf(FerPlusAdapter.ContemptTally));
        Assert.AreEqual(3, report.TallyOf(FerPlusAdapter.UnknownTally));
        Assert.AreEqual(0, report.Total);
    }

    [TestMethod]
    public void PixelsArePairedByRowOrderAcrossSkippedRows()
    {
        using var fixture = Make();
        var val = DatasetFactory.Create(fixture.Options(DataFormat.FerPlus)).Load("val");
        var image = (ImageSource.Pixels)val.Samples[0].Image;
        CollectionAssert.AreEqual(Enumerable.Range(0, 48 * 48).Select(i => FerFixtures.Pixel(7, i)).ToArray(), image.Data);
    }

    [TestMethod]
    public void EightClassesAndFirstInOrderTies()
    {
        using var fixture = Make();
        var adapter = DatasetFactory.Create(fixture.Options(DataFormat.FerPlus) with { IncludeContempt = true, FerPlusTies = FerPlusTieRule.FirstInColumnOrder });
        var train = adapter.Load("train");
        Assert.AreEqual("Contempt", train.ClassNames[7]);
        CollectionAssert.AreEqual(new[] { "fer0000000.png", "fer0000003.png" }, train.Samples.Select(s => s.Id).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 7 }, train.Samples.Select(s => s.Label).ToArray());
        Assert.AreEqual(0, adapter.Load("test").Samples.Single().Label);
        Assert.AreEqual(0, adapter.Report.TallyOf(FerPlusAdapter.TieTally));
        // The neutral/unknown tie is still dropped: unknown reaching the top count always drops the row.
        Assert.AreEqual(3, adapter.Report.TallyOf(FerPlusAdapter.UnknownTally));
    }

    [TestMethod]
    [DataRow("Training,fer0000003.png,0,0,x,0,0,0,0,6,4,0", IssueKind.BadNumber, "field 'surprise'", "'x' is not a vote count")]
    [DataRow("Training,fer0000003.png,0,0,-1,0,0,0,0,6,4,0", IssueKind.BadNumber, "field 'surprise'", "an integer >= 0")]
    [DataRow("Training,fer0000003.png,0,0,0,0,0,0,6,4,0", IssueKind.MalformedRow, "line 5", "11 columns")]
    [DataRow("PublicTest,fer0000003.png,0,0,9,0,0,0,0,0,0,0", IssueKind.Inconsistent, "field 'Usage'", "differs from 'Training'")]
    [DataRow("Training,fer0000000.png,0,0,9,0,0,0,0,0,0,0", IssueKind.DuplicateId, "line 5", "already appeared on line 2")]
    public void BadRowsUnderBothPolicies(string bad, IssueKind kind, string where, string what)
    {
        var votes = FerFixtures.FerPlusLines();
        votes[4] = bad;
        using var fixture = Make(votes);
        var train = Policies.CheckSplit(p => fixture.Options(DataFormat.FerPlus, p), "train", kind, 1, "fer2013new.csv", where, what);
        CollectionAssert.AreEqual(new[] { "fer0000000.png" }, train.Samples.Select(s => s.Id).ToArray());
    }

    [TestMethod]
    public void BadPixelsInTheFer2013FileNameThatFile()
    {
        var pixels = FerFixtures.Fer2013Lines();
        pixels[1] = $"3,{FerFixtures.Pixels(0, 100)},Training";
        using var fixture = Make(pixels: pixels);
        var train = Policies.CheckSplit(p => fixture.Options(DataFormat.FerPlus, p), "train", IssueKind.BadPixels, 1, "fer2013.csv", "line 2", "100 values");
        Assert.IsEmpty(train.Samples);
    }

    [TestMethod]
    public void DifferentRowCountsAreFatal()
    {
        using var fixture = Make(pixels: FerFixtures.Fer2013Lines()[..^1]);
        Policies.FatalSplit(p => fixture.Options(DataFormat.FerPlus, p), "train", IssueKind.Inconsistent, "fer2013new.csv, line 9", "has only 7 data rows");
        using var longer = Make(pixels: [.. FerFixtures.Fer2013Lines(), $"1,{FerFixtures.Pixels(9)},Training"]);
        Policies.FatalSplit(p => longer.Options(DataFormat.FerPlus, p), "train", IssueKind.Inconsistent, "it has 8 data rows but", "has more");
    }

    [TestMethod]
    public void HeaderlessVoteFileIsAnIssue()
    {
        using var fixture = Make(votes: FerFixtures.FerPlusLines()[1..]);
        var train = Policies.CheckSplit(p => fixture.Options(DataFormat.FerPlus, p), "train", IssueKind.MissingHeader, 1, "fer2013new.csv", "line 1", "Usage,Image name");
        CollectionAssert.AreEqual(new[] { "fer0000000.png" }, train.Samples.Select(s => s.Id).ToArray());
    }
}
