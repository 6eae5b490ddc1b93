using UlcAg.Data.Formats;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class Fer2013AdapterTests
{
    [TestMethod]
    public void UsageGivesTheSplitAndPixelsAreKept()
    {
        using var fixture = new Fixture();
        fixture.Write("fer2013.csv", FerFixtures.Fer2013Lines());
        var adapter = DatasetFactory.Create(fixture.Options(DataFormat.Fer2013));
        var train = adapter.Load("train");
        var val = adapter.Load("PublicTest");
        var test = adapter.Load("test");
        CollectionAssert.AreEqual(new[] { "Anger", "Disgust", "Fear", "Happiness", "Sadness", "Surprise", "Neutral" }, train.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { "fer0000000", "fer0000003", "fer0000004", "fer0000005", "fer0000006" }, train.Samples.Select(s => s.Id).ToArray());
        CollectionAssert.AreEqual(new[] { 3, 5, 1, 2, 4 }, train.Samples.Select(s => s.Label).ToArray());
        CollectionAssert.AreEqual(new[] { "fer0000001", "fer0000007" }, val.Samples.Select(s => s.Id).ToArray());
        Assert.AreEqual(6, test.Samples.Single().Label);
        var image = (ImageSource.Pixels)val.Samples[1].Image;
        Assert.AreEqual((48, 48, 1), (image.Width, image.Height, image.Channels));
        CollectionAssert.AreEqual(Enumerable.Range(0, 48 * 48).Select(i => FerFixtures.Pixel(7, i)).ToArray(), image.Data);
        Assert.AreEqual(new FaceBox(0, 0, 48, 48), val.Samples[1].Box);
        Assert.AreEqual("Angry", adapter.ClassMap.Entries[0].SourceName);
    }

    [TestMethod]
    [DataRow("9,PIX,Training", IssueKind.BadLabel, "field 'emotion'", "9 is out of range")]
    [DataRow("x,PIX,Training", IssueKind.BadNumber, "field 'emotion'", "'x' is not an integer")]
    [DataRow("1,PIX,Testing", IssueKind.MalformedRow, "field 'Usage'", "PrivateTest")]
    [DataRow("1,PIX", IssueKind.MalformedRow, "line 3", "2 columns")]
    [DataRow("1,SHORT,Training", IssueKind.BadPixels, "field 'pixels'", "2303 values")]
    [DataRow("1,BIG,Training", IssueKind.BadPixels, "field 'pixels'", "'256' is not an integer 0..255")]
    public void BadRowsUnderBothPolicies(string bad, IssueKind kind, string where, string what)
    {
        using var fixture = new Fixture();
        var row = bad.Replace("PIX", FerFixtures.Pixels(1)).Replace("SHORT", FerFixtures.Pixels(1, 2303)).Replace("BIG", FerFixtures.Pixels(1) + " 256");
        fixture.Write("fer2013.csv", FerFixtures.Fer2013Header, $"3,{FerFixtures.Pixels(0)},Training", row, $"5,{FerFixtures.Pixels(2)},Training");
        var train = Policies.CheckSplit(p => fixture.Options(DataFormat.Fer2013, p), "train", kind, 1, "fer2013.csv", where, what);
        CollectionAssert.AreEqual(new[] { "fer0000000", "fer0000002" }, train.Samples.Select(s => s.Id).ToArray());
    }

    [TestMethod]
    public void HeaderlessFileIsAnIssue()
    {
        using var fixture = new Fixture();
        fixture.Write("fer2013.csv", FerFixtures.Fer2013Lines().Skip(1));
        var train = Policies.CheckSplit(p => fixture.Options(DataFormat.Fer2013, p), "train", IssueKind.MissingHeader, 1, "fer2013.csv", "line 1", "emotion,pixels,Usage");
        Assert.HasCount(5, train.Samples);
        Assert.AreEqual("fer0000000", train.Samples[0].Id);
    }

    [TestMethod]
    public void MissingFileIsFatal()
    {
        using var fixture = new Fixture();
        Policies.FatalSplit(p => fixture.Options(DataFormat.Fer2013, p), "train", IssueKind.UnreadableFile, "fer2013.csv: the file does not exist");
    }
}
