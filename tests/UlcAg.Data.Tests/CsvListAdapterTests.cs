using UlcAg.Data.Formats;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class CsvListAdapterTests
{
    private static Fixture Make(params string[] trainRows)
    {
        var fixture = new Fixture();
        foreach (var name in new[] { "a.png", "b.png", "c.png", "img/d.png" })
            fixture.Image(name);
        fixture.Write("train.csv", trainRows.Length > 0 ? trainRows : ["path,label,AU01,AU12_c", "a.png,happy,0,1", "b.png,Sadness,1,0", "c.png,sad,,"]);
        fixture.Write("test.csv", "path,label,AU01,AU12_c", "img/d.png,Happiness,1,1");
        return fixture;
    }

    [TestMethod]
    public void NamedLabelsAndAuColumns()
    {
        using var fixture = Make();
        var adapter = DatasetFactory.Create(fixture.Options(DataFormat.Csv));
        CollectionAssert.AreEqual(new[] { "test", "train" }, adapter.Splits.ToArray());
        var train = adapter.Load("train");
        CollectionAssert.AreEqual(new[] { "Happiness", "Sadness" }, train.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { "AU01", "AU12" }, train.AuNames.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, 1 }, train.Samples.Select(s => s.Label).ToArray());
        CollectionAssert.AreEqual(new[] { 0f, 1f }, train.Samples[0].Aus);
        CollectionAssert.AreEqual(new[] { 1f, 0f }, train.Samples[1].Aus);
        Assert.IsNull(train.Samples[2].Aus);
        Assert.AreEqual(fixture.PathOf("img/d.png"), ((ImageSource.File)adapter.Load("test").Samples[0].Image).Path);
    }

    [TestMethod]
    public void IndexLabelsWithAClassOrder()
    {
        using var fixture = Make("file,class", "a.png,2", "b.png,0", "c.png,Fear");
        var train = DatasetFactory.Create(fixture.Options(DataFormat.Csv) with { ClassOrder = ["Anger", "Fear", "Neutral"] }).Load("train");
        CollectionAssert.AreEqual(new[] { 2, 0, 1 }, train.Samples.Select(s => s.Label).ToArray());
        Assert.IsEmpty(train.AuNames);
    }

    [TestMethod]
    [DataRow("c.png,sad,1", IssueKind.MalformedRow, "line 4", "3 columns")]
    [DataRow("c.png,sad,1,", IssueKind.MalformedRow, "line 4", "1 of 2 AU cells are empty")]
    [DataRow("c.png,sad,2,0", IssueKind.BadNumber, "field 'AU01'", "0 or 1")]
    [DataRow("c.png,3,1,0", IssueKind.BadLabel, "field 'label'", "no class order is configured")]
    [DataRow("a.png,sad,1,0", IssueKind.DuplicateId, "line 4", "already appeared on line 2")]
    [DataRow("zzz.png,sad,1,0", IssueKind.MissingImage, "zzz.png", "does not exist")]
    public void BadRowsUnderBothPolicies(string bad, IssueKind kind, string where, string what)
    {
        using var fixture = Make("path,label,AU01,AU12_c", "a.png,happy,0,1", "b.png,Sadness,1,0", bad);
        var train = Policies.CheckSplit(p => fixture.Options(DataFormat.Csv, p), "train", kind, 1, "train.csv", where, what);
        CollectionAssert.AreEqual(new[] { "a.png", "b.png" }, train.Samples.Select(s => s.Id).ToArray());
    }

    [TestMethod]
    [DataRow("c.png,angry,1,0", "'angry' is not a known class")]
    [DataRow("c.png,7,1,0", "7 is out of range")]
    public void LabelsOutsideTheClassOrderUnderBothPolicies(string bad, string what)
    {
        using var fixture = Make("path,label,AU01,AU12_c", "a.png,happy,0,1", "b.png,Sadness,1,0", bad);
        var train = Policies.CheckSplit(p => fixture.Options(DataFormat.Csv, p) with { ClassOrder = ["Happiness", "Sadness"] }, "train", IssueKind.BadLabel, 1, "train.csv, line 4, field 'label'", what);
        CollectionAssert.AreEqual(new[] { 0, 1 }, train.Samples.Select(s => s.Label).ToArray());
    }

    [TestMethod]
    [DataRow("c.png,Happyness,1,0", "'Happyness' is not a known class")]
    [DataRow("c.png,Sadn,1,0", "'Sadn' is not a known class")]
    public void ATypoInALabelIsABadRowNotANewClass(string bad, string what)
    {
        // No class order: the classes are the known names found in the lists, so the typo names its file and line under
        // fail, and under skip the row is skipped (and counted) while the classes stay Happiness and Sadness.
        using var fixture = Make("path,label,AU01,AU12_c", "a.png,happy,0,1", "b.png,Sadness,1,0", bad);
        var train = Policies.CheckSplit(p => fixture.Options(DataFormat.Csv, p), "train", IssueKind.BadLabel, 1, "train.csv, line 4, field 'label'", what, "data.classes");
        CollectionAssert.AreEqual(new[] { "Happiness", "Sadness" }, train.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1 }, train.Samples.Select(s => s.Label).ToArray());
    }

    [TestMethod]
    public void ClassNamesOutsideTheVocabularyAreKnownWhenSelected()
    {
        using var fixture = Make("path,label", "a.png,Pain", "b.png,Sadness", "c.png,pain");
        fixture.Write("test.csv", "path,label", "img/d.png,Pain");
        var train = new DatasetSource(fixture.Options(DataFormat.Csv) with { Classes = ["Pain", "Sadness"] }).Load("train");
        CollectionAssert.AreEqual(new[] { "Pain", "Sadness" }, train.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, 0 }, train.Samples.Select(s => s.Label).ToArray());
    }

    [TestMethod]
    public void HeaderlessListIsFatal()
    {
        using var fixture = Make("a.png,happy", "b.png,sad");
        Policies.FatalSplit(p => fixture.Options(DataFormat.Csv, p), "train", IssueKind.MissingHeader, "train.csv, line 1", "path,label");
    }
}
