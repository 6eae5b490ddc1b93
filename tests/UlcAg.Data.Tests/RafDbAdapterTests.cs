using UlcAg.Data.Formats;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class RafDbAdapterTests
{
    private const string List = "EmoLabel/list_patition_label.txt";

    private static Fixture Make(params string[] lines)
    {
        var fixture = new Fixture();
        fixture.Write(List, lines.Length > 0 ? lines : ["train_00001.jpg 5", "train_00002.jpg 1", "test_0001.jpg 7", "test_0002.jpg 4"]);
        foreach (var line in lines.Length > 0 ? lines : ["train_00001.jpg", "train_00002.jpg", "test_0001.jpg", "test_0002.jpg"])
        {
            var name = line.Split(' ')[0];
            if (name.Contains('_'))
            {
                fixture.Image($"Image/aligned/{Path.GetFileNameWithoutExtension(name)}_aligned.jpg");
                fixture.Image($"Image/original/{name}");
            }
        }
        return fixture;
    }

    [TestMethod]
    public void ReadsBothSplitsWithRafDbLabelOrder()
    {
        using var fixture = Make();
        var adapter = DatasetFactory.Create(fixture.Options(DataFormat.RafDb));
        var train = adapter.Load("train");
        var test = adapter.Load("test");
        CollectionAssert.AreEqual(new[] { "Surprise", "Fear", "Disgust", "Happiness", "Sadness", "Anger", "Neutral" }, train.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { "train_00001.jpg", "train_00002.jpg" }, train.Samples.Select(s => s.Id).ToArray());
        CollectionAssert.AreEqual(new[] { 4, 0 }, train.Samples.Select(s => s.Label).ToArray());
        CollectionAssert.AreEqual(new[] { 6, 3 }, test.Samples.Select(s => s.Label).ToArray());
        Assert.AreEqual("Sadness", train.ClassNames[train.Samples[0].Label]);
        var image = (ImageSource.File)train.Samples[0].Image;
        Assert.AreEqual(fixture.PathOf("Image/aligned/train_00001_aligned.jpg"), image.Path);
        Assert.AreEqual(new FaceBox(0, 0, 100, 100), train.Samples[0].Box);
        Assert.IsNull(train.Samples[0].CleanLabel);
        Assert.AreEqual("rafdb", train.Dataset);
        Assert.AreEqual(0, adapter.Report.Total);
        Assert.AreEqual("5", adapter.ClassMap.Entries[4].Code);
        Assert.AreEqual(4, adapter.ClassMap.Entries[4].Index);
    }

    [TestMethod]
    public void OriginalImagesHaveNoBox()
    {
        using var fixture = Make();
        var adapter = DatasetFactory.Create(fixture.Options(DataFormat.RafDb) with { RafDbImages = RafDbImages.Original });
        var sample = adapter.Load("test").Samples[1];
        Assert.AreEqual(fixture.PathOf("Image/original/test_0002.jpg"), ((ImageSource.File)sample.Image).Path);
        Assert.IsNull(sample.Box);
    }

    [TestMethod]
    public void UnknownSplitNamesTheAvailableOnes()
    {
        using var fixture = Make();
        var error = Assert.ThrowsExactly<DataFormatException>(() => DatasetFactory.Create(fixture.Options(DataFormat.RafDb)).Load("val"));
        Assert.Contains("the rafdb dataset has no split 'val'; expected one of the splits train, test", error.Message);
        Assert.DoesNotContain("Parameter", error.Message);
    }

    [TestMethod]
    public void AnEmptyDatasetFolderIsADataErrorNamingIt()
    {
        using var fixture = new Fixture();
        var error = Assert.ThrowsExactly<DataFormatException>(() => DatasetFactory.Create(fixture.Options(DataFormat.Csv)).Load("train"));
        Assert.Contains("the folder holds no csv data", error.Message);
        Assert.Contains(Path.GetFullPath(fixture.PathOf(".")), error.Message);
        Assert.DoesNotContain("expected one of: .", error.Message);
    }

    [TestMethod]
    public void MissingListFileIsFatalUnderBothPolicies()
    {
        using var fixture = new Fixture();
        Policies.FatalSplit(p => fixture.Options(DataFormat.RafDb, p), "train", IssueKind.UnreadableFile, "list_patition_label.txt", "does not exist");
    }

    [TestMethod]
    [DataRow("train_00003.jpg 8", IssueKind.BadLabel, "field 'label'", "8 is out of range")]
    [DataRow("train_00003.jpg 0", IssueKind.BadLabel, "field 'label'", "expected an integer 1..7")]
    [DataRow("train_00003.jpg five", IssueKind.BadNumber, "field 'label'", "'five' is not an integer")]
    [DataRow("train_00003.jpg 5 extra", IssueKind.MalformedRow, "line 3", "3 fields")]
    [DataRow("val_00003.jpg 5", IssueKind.MalformedRow, "field 'name'", "'train_' or 'test_'")]
    [DataRow("train_00001.jpg 2", IssueKind.DuplicateId, "line 3", "already appeared on line 1")]
    [DataRow("train_00009.jpg 2", IssueKind.MissingImage, "train_00009_aligned.jpg", "does not exist")]
    public void BadLinesUnderBothPolicies(string bad, IssueKind kind, string where, string what)
    {
        using var fixture = Make();
        fixture.Write(List, "train_00001.jpg 5", "train_00002.jpg 1", bad, "test_0001.jpg 7", "test_0002.jpg 4");
        var train = Policies.CheckSplit(p => fixture.Options(DataFormat.RafDb, p), "train", kind, 1, List.Split('/')[^1], where, what);
        CollectionAssert.AreEqual(new[] { "train_00001.jpg", "train_00002.jpg" }, train.Samples.Select(s => s.Id).ToArray());
        CollectionAssert.AreEqual(new[] { 4, 0 }, train.Samples.Select(s => s.Label).ToArray());
    }

    [TestMethod]
    public void MissingImagesAreNotCheckedWhenTurnedOff()
    {
        using var fixture = Make();
        fixture.Write(List, "train_00001.jpg 5", "train_00077.jpg 2");
        var train = DatasetFactory.Create(fixture.Options(DataFormat.RafDb) with { CheckImages = false }).Load("train");
        Assert.HasCount(2, train.Samples);
    }
}
