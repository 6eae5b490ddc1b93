using System.Globalization;
using UlcAg.Data.Formats;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class AffectNetAdapterTests
{
    private const string Header = "subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal";

    private static string Landmarks(int seed, int points = 68) =>
        string.Join(";", Enumerable.Range(0, 2 * points).Select(i => (seed + i * 0.5).ToString(CultureInfo.InvariantCulture)));

    private static string Row(string path, int expression, int seed = 1, string? box = null, string? landmarks = null) =>
        $"{path},{box ?? $"{seed},{seed + 1},{seed + 100},{seed + 101}"},{landmarks ?? Landmarks(seed)},{expression},0.25,-0.5";

    private static Fixture Make(IEnumerable<string>? training = null, IEnumerable<string>? validation = null, string imagesRoot = "Manually_Annotated_Images")
    {
        var fixture = new Fixture();
        training ??= [Header, Row("0/a.jpg", 1, 10), Row("0/b.jpg", 7, 20), Row("1/c.jpg", 8), Row("1/d.jpg", 9), Row("1/e.jpg", 10), Row("1/f.jpg", 6, 30)];
        validation ??= [Row("2/g.jpg", 0, 40), Row("2/h.jpg", 3, 50)];
        fixture.Write("training.csv", training);
        fixture.Write("validation.csv", validation);
        foreach (var name in new[] { "0/a.jpg", "0/b.jpg", "1/c.jpg", "1/d.jpg", "1/e.jpg", "1/f.jpg", "2/g.jpg", "2/h.jpg" })
            fixture.Image($"{imagesRoot}/{name}");
        return fixture;
    }

    [TestMethod]
    public void SevenClassesDropContemptNoneUncertainAndNoFace()
    {
        using var fixture = Make();
        var adapter = DatasetFactory.Create(fixture.Options(DataFormat.AffectNet));
        var train = adapter.Load("train");
        CollectionAssert.AreEqual(new[] { "Neutral", "Happiness", "Sadness", "Surprise", "Fear", "Disgust", "Anger" }, train.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { "0/a.jpg", "1/f.jpg" }, train.Samples.Select(s => s.Id).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 6 }, train.Samples.Select(s => s.Label).ToArray());
        Assert.AreEqual(1, adapter.Report.TallyOf("affectnet: rows with expression Contempt dropped"));
        Assert.AreEqual(1, adapter.Report.TallyOf("affectnet: rows with expression None dropped"));
        Assert.AreEqual(1, adapter.Report.TallyOf("affectnet: rows with expression Uncertain dropped"));
        Assert.AreEqual(1, adapter.Report.TallyOf("affectnet: rows with expression No-Face dropped"));
        Assert.AreEqual(0, adapter.Report.Total);
        Assert.IsNull(adapter.ClassMap.Entries[7].Index);
        Assert.AreEqual("No-Face", adapter.ClassMap.Entries[10].SourceName);
    }

    [TestMethod]
    public void BoxLandmarksAndImagePathComeFromTheRow()
    {
        using var fixture = Make();
        var sample = DatasetFactory.Create(fixture.Options(DataFormat.AffectNet)).Load("train").Samples[0];
        Assert.AreEqual(new FaceBox(10, 11, 110, 111), sample.Box);
        Assert.IsNotNull(sample.Landmarks);
        Assert.HasCount(136, sample.Landmarks);
        Assert.AreEqual(10f, sample.Landmarks[0]);
        Assert.AreEqual(10.5f, sample.Landmarks[1]);
        Assert.AreEqual(10f + 135 * 0.5f, sample.Landmarks[135]);
        Assert.AreEqual(fixture.PathOf("Manually_Annotated_Images/0/a.jpg"), ((ImageSource.File)sample.Image).Path);
    }

    [TestMethod]
    public void EightClassesKeepContempt()
    {
        using var fixture = Make();
        var train = DatasetFactory.Create(fixture.Options(DataFormat.AffectNet) with { IncludeContempt = true }).Load("train");
        Assert.HasCount(8, train.ClassNames);
        Assert.AreEqual("Contempt", train.ClassNames[7]);
        CollectionAssert.AreEqual(new[] { 1, 7, 6 }, train.Samples.Select(s => s.Label).ToArray());
    }

    [TestMethod]
    public void HeaderlessValidationIsDetected()
    {
        using var fixture = Make();
        var adapter = DatasetFactory.Create(fixture.Options(DataFormat.AffectNet));
        var val = adapter.Load("validation");
        Assert.AreEqual("val", val.Split);
        CollectionAssert.AreEqual(new[] { "2/g.jpg", "2/h.jpg" }, val.Samples.Select(s => s.Id).ToArray());
        CollectionAssert.AreEqual(new[] { 0, 3 }, val.Samples.Select(s => s.Label).ToArray());
        Assert.AreEqual(new FaceBox(50, 51, 150, 151), val.Samples[1].Box);
        Assert.AreEqual(0, adapter.Report.Total);
    }

    [TestMethod]
    public void ValidationWithHeaderAndQuotedLandmarks()
    {
        using var fixture = Make(validation: [Header, $"2/g.jpg,1,2,3,4,\"{Landmarks(3)}\",5,0,0"]);
        var sample = DatasetFactory.Create(fixture.Options(DataFormat.AffectNet)).Load("val").Samples.Single();
        Assert.AreEqual(5, sample.Label);
        Assert.AreEqual(3.5f, sample.Landmarks![1]);
    }

    [TestMethod]
    public void ConfiguredFilesAndImagesRoot()
    {
        using var fixture = Make();
        fixture.Write("lists/my_val.csv", Header, Row("9/z.jpg", 2, 60));
        fixture.Image("pictures/9/z.jpg");
        var options = fixture.Options(DataFormat.AffectNet) with { SplitFiles = new Dictionary<string, string> { ["val"] = "lists/my_val.csv" }, ImagesRoot = "pictures" };
        var sample = DatasetFactory.Create(options).Load("val").Samples.Single();
        Assert.AreEqual(2, sample.Label);
        Assert.AreEqual(fixture.PathOf("pictures/9/z.jpg"), ((ImageSource.File)sample.Image).Path);
    }

    [TestMethod]
    public void HeaderlessTrainingIsAnIssue()
    {
        using var fixture = Make(training: [Row("0/a.jpg", 1, 10), Row("1/f.jpg", 6, 30)]);
        var train = Policies.CheckSplit(p => fixture.Options(DataFormat.AffectNet, p), "train", IssueKind.MissingHeader, 1, "training.csv", "line 1", "subDirectory_filePath");
        // Under Skip the first line is read as data in the standard column order.
        CollectionAssert.AreEqual(new[] { "0/a.jpg", "1/f.jpg" }, train.Samples.Select(s => s.Id).ToArray());
    }

    [TestMethod]
    [DataRow("0/x.jpg,1,2,3,4,5,6", IssueKind.MalformedRow, "line 3", "7 columns")]
    [DataRow("0/x.jpg,abc,2,3,4,LM,1,0,0", IssueKind.BadNumber, "field 'face_x'", "'abc'")]
    [DataRow("0/x.jpg,1,2,0,4,LM,1,0,0", IssueKind.BadNumber, "field 'face_width'", "a positive number")]
    [DataRow("0/x.jpg,1,2,3,4,LM67,1,0,0", IssueKind.BadLandmarks, "field 'facial_landmarks'", "134 values")]
    [DataRow("0/x.jpg,1,2,3,4,LMX,1,0,0", IssueKind.BadLandmarks, "field 'facial_landmarks'", "not a number")]
    [DataRow("0/x.jpg,1,2,3,4,LM,11,0,0", IssueKind.BadLabel, "field 'expression'", "11 is out of range")]
    [DataRow("0/x.jpg,1,2,3,4,LM,happy,0,0", IssueKind.BadNumber, "field 'expression'", "an integer 0..10")]
    [DataRow("0/a.jpg,1,2,3,4,LM,2,0,0", IssueKind.DuplicateId, "line 3", "already appeared on line 2")]
    [DataRow("0/missing.jpg,1,2,3,4,LM,2,0,0", IssueKind.MissingImage, "0/missing.jpg", "does not exist")]
    public void BadRowsUnderBothPolicies(string bad, IssueKind kind, string where, string what)
    {
        var row = bad.Replace("LM67", Landmarks(1, 67)).Replace("LMX", Landmarks(1).Replace("3.5", "3.5x")).Replace("LM", Landmarks(1));
        using var fixture = Make(training: [Header, Row("0/a.jpg", 1, 10), row, Row("1/f.jpg", 6, 30)]);
        var train = Policies.CheckSplit(p => fixture.Options(DataFormat.AffectNet, p), "train", kind, 1, "training.csv", where, what);
        CollectionAssert.AreEqual(new[] { "0/a.jpg", "1/f.jpg" }, train.Samples.Select(s => s.Id).ToArray());
    }

    [TestMethod]
    public void AutomaticListIsItsOwnSource()
    {
        using var fixture = Make(imagesRoot: "Automatically_Annotated_Images");
        fixture.Write("automatically_annotated.csv", Header, Row("0/a.jpg", 4, 10), Row("1/c.jpg", 9), Row("1/f.jpg", 2, 30));
        var adapter = DatasetFactory.Create(fixture.Options(DataFormat.AffectNetAuto));
        CollectionAssert.AreEqual(new[] { "train", "val" }, adapter.Splits.ToArray());
        var train = adapter.Load("train");
        Assert.AreEqual("affectnet-auto", train.Dataset);
        CollectionAssert.AreEqual(new[] { 4, 2 }, train.Samples.Select(s => s.Label).ToArray());
        Assert.AreEqual(fixture.PathOf("Automatically_Annotated_Images/1/f.jpg"), ((ImageSource.File)train.Samples[1].Image).Path);
        Assert.AreEqual(1, adapter.Report.TallyOf("affectnet-auto: rows with expression Uncertain dropped"));
    }

    [TestMethod]
    public void AutomaticTrainingIsTestedOnTheManualValidationList()
    {
        // Table IV of ULC-AG: train on the automatic labels, test on the manually annotated validation set.
        using var fixture = Make();
        fixture.Write("automatically_annotated.csv", Header, Row("0/a.jpg", 4, 10));
        fixture.Image("Automatically_Annotated_Images/0/a.jpg");
        var adapter = DatasetFactory.Create(fixture.Options(DataFormat.AffectNetAuto));
        var val = adapter.Load("val");
        Assert.AreEqual("affectnet-auto", val.Dataset);
        CollectionAssert.AreEqual(new[] { "2/g.jpg", "2/h.jpg" }, val.Samples.Select(s => s.Id).ToArray());
        CollectionAssert.AreEqual(new[] { 0, 3 }, val.Samples.Select(s => s.Label).ToArray());
        Assert.AreEqual(fixture.PathOf("Manually_Annotated_Images/2/h.jpg"), ((ImageSource.File)val.Samples[1].Image).Path);
        Assert.AreEqual(fixture.PathOf("Automatically_Annotated_Images/0/a.jpg"), ((ImageSource.File)adapter.Load("train").Samples.Single().Image).Path);
    }

    [TestMethod]
    public void AutomaticListAtAUserPath()
    {
        using var fixture = Make(imagesRoot: "Automatically_Annotated_Images");
        var list = fixture.Write("lists/auto.csv", Header, Row("0/b.jpg", 5, 10));
        var train = DatasetFactory.Create(fixture.Options(DataFormat.AffectNetAuto) with { AnnotationFile = list }).Load("train");
        Assert.AreEqual(5, train.Samples.Single().Label);
    }

    [TestMethod]
    public void MissingHeaderColumnIsFatal()
    {
        using var fixture = Make(training: [Header.Replace("face_y", "face_yy"), Row("0/a.jpg", 1, 10)]);
        Policies.FatalSplit(p => fixture.Options(DataFormat.AffectNet, p), "train", IssueKind.MissingColumn, "training.csv, line 1, field 'face_y'");
    }
}
