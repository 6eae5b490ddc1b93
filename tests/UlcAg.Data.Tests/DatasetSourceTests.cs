using UlcAg.Data.AuLabels;
using UlcAg.Data.Formats;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class DatasetSourceTests
{
    [TestMethod]
    public void Fer2013RemappedToTheCommonOrder()
    {
        using var fixture = new Fixture();
        fixture.Write("fer2013.csv", FerFixtures.Fer2013Lines());
        var source = new DatasetSource(fixture.Options(DataFormat.Fer2013) with { Classes = ExpressionNames.Common7, CheckEmptyClasses = false });
        var train = source.Load("train");
        CollectionAssert.AreEqual(ExpressionNames.Common7.ToArray(), train.ClassNames.ToArray());
        // FER2013 emotions 3, 5, 1, 2, 4 = Happy, Surprise, Disgust, Fear, Sad -> Common7 (RAF-DB order) 3, 0, 2, 1, 4.
        CollectionAssert.AreEqual(new[] { 3, 0, 2, 1, 4 }, train.Samples.Select(s => s.Label).ToArray());
        Assert.AreEqual(3, source.ClassMap.Entries[3].Index, "FER2013 code 3 (Happy) maps to Happiness");
        Assert.AreEqual(5, source.ClassMap.Entries[0].Index, "FER2013 code 0 (Angry) maps to Anger");
    }

    [TestMethod]
    public void SelectionDropsAndCountsOtherClasses()
    {
        using var fixture = new Fixture();
        fixture.Write("fer2013.csv", FerFixtures.Fer2013Lines());
        var source = new DatasetSource(fixture.Options(DataFormat.Fer2013) with { Classes = ["happy", "Sadness"] });
        var train = source.Load("train");
        CollectionAssert.AreEqual(new[] { "Happiness", "Sadness" }, train.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { "fer0000000", "fer0000006" }, train.Samples.Select(s => s.Id).ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1 }, train.Samples.Select(s => s.Label).ToArray());
        Assert.AreEqual(1, source.Report.TallyOf(ClassRemap.DroppedTally("Surprise")));
        Assert.IsNull(source.ClassMap.Entries[0].Index);
    }

    [TestMethod]
    public void SelectingAClassTheDatasetLacksIsAnError()
    {
        using var fixture = new Fixture();
        var error = Assert.ThrowsExactly<ArgumentException>(() => new DatasetSource(fixture.Options(DataFormat.RafDb) with { Classes = ["Contempt"] }).ClassMap);
        Assert.Contains("'Contempt' is not a class of dataset 'rafdb'", error.Message);
        Assert.ThrowsExactly<ArgumentException>(() => new DatasetSource(fixture.Options(DataFormat.RafDb) with { Classes = ["Fear", "fear"] }).Load("train"));
    }

    [TestMethod]
    public void EmptyClassUnderBothPolicies()
    {
        using var fixture = new Fixture();
        fixture.Write("fer2013.csv", FerFixtures.Fer2013Lines());
        var train = Policies.CheckSource(p => fixture.Options(DataFormat.Fer2013, p), "train", IssueKind.EmptyClass, 2, "split 'train' has no sample of class 'Anger'");
        Assert.HasCount(5, train.Samples);
    }

    [TestMethod]
    public void RemapOfAPlainSplitKeepsCleanLabels()
    {
        var split = new DatasetSplit("ferplus", "train", FerPlusAdapter.ClassNames, [],
        [
            new Sample("a", new ImageSource.File("a"), 1, CleanLabel: 0),
            new Sample("b", new ImageSource.File("b"), 7),
            new Sample("c", new ImageSource.File("c"), 2, CleanLabel: 7),
        ]);
        var report = new IssueReport(IssuePolicy.Fail);
        var remapped = ClassRemap.Apply(split, ExpressionNames.Common7, report);
        CollectionAssert.AreEqual(ExpressionNames.Common7.ToArray(), remapped.ClassNames.ToArray());
        Assert.AreEqual(new Sample("a", new ImageSource.File("a"), 3, CleanLabel: 6), remapped.Samples.Single());
        Assert.AreEqual(2, report.TallyOf(ClassRemap.DroppedTally("Contempt")));
    }

    [TestMethod]
    public void TheSyntheticFormatHasNoAdapter()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => DatasetFactory.Create(new DatasetOptions { Format = DataFormat.Synthetic, Root = "." }));
        Assert.Contains("SyntheticFaceGenerator", error.Message);
    }

    [TestMethod]
    public void AuColumnsAndAnAuSourceTogetherAreAnError()
    {
        using var fixture = new Fixture();
        fixture.Image("a.png");
        fixture.Write("train.csv", "path,label,AU01", "a.png,happy,1");
        fixture.Write("au/aus.csv", "file,AU01", "a.png,1");
        var source = new DatasetSource(fixture.Options(DataFormat.Csv) with { Aus = new AuSourceOptions { Source = AuSource.OpenFace, Path = "au/aus.csv" } });
        var error = Assert.ThrowsExactly<ArgumentException>(() => source.Load("train"));
        Assert.Contains("already has AU columns", error.Message);
    }

    [TestMethod]
    public void SkipReportIsPrintable()
    {
        using var fixture = new Fixture();
        fixture.Write("EmoLabel/list_patition_label.txt", "train_00001.jpg 1", "train_00002.jpg 9");
        var source = new DatasetSource(fixture.Options(DataFormat.RafDb, IssuePolicy.Skip) with { CheckImages = false, CheckEmptyClasses = false });
        Assert.HasCount(1, source.Load("train").Samples);
        var text = source.Report.ToString();
        Assert.Contains("policy Skip", text);
        Assert.Contains("BadLabel: 1", text);
        Assert.Contains("list_patition_label.txt, line 2, field 'label': 9 is out of range; expected an integer 1..7.", text);
    }
}
