using UlcAg.Data.AuLabels;
using UlcAg.Data.Formats;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class AuJoinTests
{
    /// <summary>A RAF-DB tree: train_00001..3, test_0001..2.</summary>
    private static Fixture RafDb()
    {
        var fixture = new Fixture();
        string[] lines = ["train_00001.jpg 1", "train_00002.jpg 2", "train_00003.jpg 3", "test_0001.jpg 4", "test_0002.jpg 5"];
        fixture.Write("EmoLabel/list_patition_label.txt", lines);
        foreach (var line in lines)
            fixture.Image($"Image/aligned/{Path.GetFileNameWithoutExtension(line.Split(' ')[0])}_aligned.jpg");
        return fixture;
    }

    private static DatasetOptions Options(Fixture fixture, AuSourceOptions aus, IssuePolicy policy = IssuePolicy.Fail) =>
        fixture.Options(DataFormat.RafDb, policy) with { Aus = aus, CheckEmptyClasses = false };

    [TestMethod]
    public void PerImageOpenFaceFilesJoinThroughTheAlignedSuffix()
    {
        using var fixture = RafDb();
        fixture.Write("openface/train_00001_aligned.csv", OpenFaceCsv.Header(), OpenFaceCsv.Row([0, 8]));
        fixture.Write("openface/train_00002_aligned.csv", OpenFaceCsv.Header(), OpenFaceCsv.Row([3], success: 0));
        fixture.Write("openface/test_0002_aligned.csv", OpenFaceCsv.Header(), OpenFaceCsv.Row([16, 17]));
        fixture.Write("openface/test_0002_aligned_of_details.txt", "not a CSV");
        var source = new DatasetSource(Options(fixture, new AuSourceOptions { Source = AuSource.OpenFace, Path = "openface" }));
        var train = source.Load("train");
        var test = source.Load("test");
        CollectionAssert.AreEqual(AuNames.OpenFacePresence.ToArray(), train.AuNames.ToArray());
        CollectionAssert.AreEqual(OpenFaceCsv.Presence(0, 8), train.Samples[0].Aus);
        Assert.IsNull(train.Samples[1].Aus, "success = 0 counts as missing");
        Assert.IsNull(train.Samples[2].Aus);
        Assert.IsNull(test.Samples[0].Aus);
        CollectionAssert.AreEqual(OpenFaceCsv.Presence(16, 17), test.Samples[1].Aus);
        Assert.AreEqual(2, source.Report.TallyOf(AuJoin.JoinedTally));
        Assert.AreEqual(2, source.Report.TallyOf(AuJoin.MissingTally));
        Assert.AreEqual(1, source.Report.TallyOf(AuJoin.RejectedTally));
        Assert.AreEqual(0, source.Report.Total);
        Assert.AreSame(train, source.Load("train"));
    }

    [TestMethod]
    public void SingleCsvWithIntensityThresholdAndSubset()
    {
        using var fixture = RafDb();
        fixture.Write("aus.csv", OpenFaceCsv.Header("image"),
            OpenFaceCsv.Row([], file: "train_00001_aligned.jpg"),
            OpenFaceCsv.Row([], file: "test_0001.jpg"));
        // Intensity of presence-list AU k is 0.5 * k: AU01 (k=0) 0.0, AU12 (k=8) 4.0, AU45 (k=17) 8.5.
        var aus = new AuSourceOptions { Source = AuSource.OpenFace, Path = "aus.csv", Mode = AuMode.Intensity, Threshold = 2.5, Subset = ["AU12", "AU1", "AU45", "AU06"] };
        var source = new DatasetSource(Options(fixture, aus));
        var train = source.Load("train");
        CollectionAssert.AreEqual(new[] { "AU12", "AU01", "AU45", "AU06" }, train.AuNames.ToArray());
        CollectionAssert.AreEqual(new[] { 1f, 0f, 1f, 0f }, train.Samples[0].Aus);
        CollectionAssert.AreEqual(new[] { 1f, 0f, 1f, 0f }, source.Load("test").Samples[0].Aus);
    }

    [TestMethod]
    public void SeveralFacesKeepTheMostConfidentAndLowConfidenceIsMissing()
    {
        using var fixture = RafDb();
        fixture.Write("aus.csv", OpenFaceCsv.Header("file"),
            OpenFaceCsv.Row([1], confidence: 0.90, file: "train_00001_aligned.jpg"),
            OpenFaceCsv.Row([2], confidence: 0.95, file: "train_00001_aligned.jpg", faceId: 1),
            OpenFaceCsv.Row([3], confidence: 0.60, file: "train_00001_aligned.jpg", faceId: 2),
            OpenFaceCsv.Row([4], confidence: 0.30, file: "train_00002_aligned.jpg"));
        var source = new DatasetSource(Options(fixture, new AuSourceOptions { Source = AuSource.OpenFace, Path = "aus.csv" }));
        var train = source.Load("train");
        CollectionAssert.AreEqual(OpenFaceCsv.Presence(2), train.Samples[0].Aus);
        Assert.IsNull(train.Samples[1].Aus);
        Assert.AreEqual(1, source.Report.TallyOf(AuTableReader.MultiFaceTally));
        Assert.AreEqual(1, source.Report.TallyOf(AuJoin.RejectedTally));
        var lenient = new DatasetSource(Options(fixture, new AuSourceOptions { Source = AuSource.OpenFace, Path = "aus.csv", MinConfidence = 0.2f }));
        CollectionAssert.AreEqual(OpenFaceCsv.Presence(4), lenient.Load("train").Samples[1].Aus);
    }

    [TestMethod]
    public void GenericCsvWithZeroOneColumns()
    {
        using var fixture = RafDb();
        fixture.Write("aus.csv", "id,AU1,AU6,AU12", "train_00001.jpg,0,1,1", "train_00003,1,0,0");
        var train = new DatasetSource(Options(fixture, new AuSourceOptions { Source = AuSource.OpenFace, Path = "aus.csv" })).Load("train");
        CollectionAssert.AreEqual(new[] { "AU01", "AU06", "AU12" }, train.AuNames.ToArray());
        CollectionAssert.AreEqual(new[] { 0f, 1f, 1f }, train.Samples[0].Aus);
        Assert.IsNull(train.Samples[1].Aus);
        CollectionAssert.AreEqual(new[] { 1f, 0f, 0f }, train.Samples[2].Aus);
    }

    [TestMethod]
    public void AuRowsForUnknownImagesUnderBothPolicies()
    {
        using var fixture = RafDb();
        fixture.Write("aus.csv", "file,AU01,AU12", "train_00001.jpg,1,0", "train_09999.jpg,1,1", "test_0002.jpg,0,1");
        var train = Policies.CheckSource(p => Options(fixture, new AuSourceOptions { Source = AuSource.OpenFace, Path = "aus.csv" }, p), "train", IssueKind.UnknownAuRow, 1,
            "aus.csv, line 3", "'train_09999'", "matches no sample");
        CollectionAssert.AreEqual(new[] { 1f, 0f }, train.Samples[0].Aus);
    }

    [TestMethod]
    public void AuRowsForDroppedImagesAreCountedNotReported()
    {
        using var fixture = RafDb();
        fixture.Write("EmoLabel/list_patition_label.txt", "train_00001.jpg 1", "train_00002.jpg 2", "train_00003.jpg 9", "test_0001.jpg 4", "test_0002.jpg 5");
        fixture.Write("aus.csv", "file,AU01", "train_00001.jpg,1", "train_00002.jpg,1", "train_00003.jpg,1", "test_0002.jpg,0");
        // train_00003 is skipped for its label, train_00002 (Fear) and test_0002 (Sadness) by the class selection.
        var options = Options(fixture, new AuSourceOptions { Source = AuSource.OpenFace, Path = "aus.csv" }, IssuePolicy.Skip) with { Classes = ["Surprise", "Happiness"] };
        var source = new DatasetSource(options);
        var train = source.Load("train");
        CollectionAssert.AreEqual(new[] { "train_00001.jpg" }, train.Samples.Select(s => s.Id).ToArray());
        CollectionAssert.AreEqual(new[] { 1f }, train.Samples[0].Aus);
        Assert.AreEqual(1, source.Report.Total, source.Report.ToString());
        Assert.AreEqual(1, source.Report.Count(IssueKind.BadLabel));
        Assert.AreEqual(3, source.Report.TallyOf(AuJoin.NotLoadedTally));
        CollectionAssert.AreEquivalent(new[] { "train_00002.jpg", "train_00003.jpg", "test_0002.jpg" }, source.DroppedIds.ToArray());
    }

    [TestMethod]
    public void AffectNetRowsDroppedByRuleKeepTheirAuRowsKnown()
    {
        using var fixture = new Fixture();
        var landmarks = string.Join(";", Enumerable.Repeat("1.5", 136));
        fixture.Write("training.csv", "subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal",
            $"0/aa.jpg,1,2,3,4,{landmarks},1,0,0", $"0/bb.jpg,1,2,3,4,{landmarks},10,0,0");
        fixture.Write("validation.csv", $"1/cc.jpg,1,2,3,4,{landmarks},1,0,0");
        fixture.Write("openface/aa.csv", OpenFaceCsv.Header(), OpenFaceCsv.Row([2]));
        fixture.Write("openface/bb.csv", OpenFaceCsv.Header(), OpenFaceCsv.Row([3]));
        var options = fixture.Options(DataFormat.AffectNet) with { CheckImages = false, CheckEmptyClasses = false, Aus = new AuSourceOptions { Source = AuSource.OpenFace, Path = "openface" } };
        var source = new DatasetSource(options);
        CollectionAssert.AreEqual(OpenFaceCsv.Presence(2), source.Load("train").Samples.Single().Aus);
        Assert.IsNull(source.Load("val").Samples.Single().Aus);
        Assert.AreEqual(1, source.Report.TallyOf(AuJoin.NotLoadedTally));
        Assert.AreEqual(0, source.Report.Total);
    }

    [TestMethod]
    [DataRow("train_00001.jpg,1,0", IssueKind.DuplicateId, "line 3", "already has AU labels on line 2")]
    [DataRow("train_00002.jpg,0.5,0", IssueKind.BadNumber, "field 'AU01'", "0 or 1")]
    [DataRow("train_00002.jpg,1", IssueKind.MalformedRow, "line 3", "2 columns")]
    [DataRow(",1,1", IssueKind.MalformedRow, "field 'file'", "the image name is empty")]
    public void BadAuRowsUnderBothPolicies(string bad, IssueKind kind, string where, string what)
    {
        using var fixture = RafDb();
        fixture.Write("aus.csv", "file,AU01,AU12", "train_00001.jpg,1,0", bad, "train_00003.jpg,0,1");
        var train = Policies.CheckSource(p => Options(fixture, new AuSourceOptions { Source = AuSource.OpenFace, Path = "aus.csv" }, p), "train", kind, 1, "aus.csv", where, what);
        CollectionAssert.AreEqual(new[] { 1f, 0f }, train.Samples[0].Aus);
        Assert.IsNull(train.Samples[1].Aus);
        CollectionAssert.AreEqual(new[] { 0f, 1f }, train.Samples[2].Aus);
    }

    [TestMethod]
    public void BadOpenFaceValuesUnderBothPolicies()
    {
        using var fixture = RafDb();
        fixture.Write("openface/train_00001_aligned.csv", OpenFaceCsv.Header(), OpenFaceCsv.Row([0]));
        fixture.Write("openface/train_00002_aligned.csv", OpenFaceCsv.Header(), OpenFaceCsv.Row([0]).Replace(", 0.98, 1,", ", high, 1,"));
        var train = Policies.CheckSource(p => Options(fixture, new AuSourceOptions { Source = AuSource.OpenFace, Path = "openface" }, p), "train", IssueKind.BadNumber, 1,
            "train_00002_aligned.csv, line 2, field 'confidence'", "'high'");
        Assert.IsNotNull(train.Samples[0].Aus);
        Assert.IsNull(train.Samples[1].Aus);
    }

    [TestMethod]
    public void HeaderlessPerImageFileIsSkippedOrFails()
    {
        using var fixture = RafDb();
        fixture.Write("openface/train_00001_aligned.csv", OpenFaceCsv.Header(), OpenFaceCsv.Row([0]));
        fixture.Write("openface/train_00002_aligned.csv", OpenFaceCsv.Row([1]));
        var train = Policies.CheckSource(p => Options(fixture, new AuSourceOptions { Source = AuSource.OpenFace, Path = "openface" }, p), "train", IssueKind.MissingHeader, 1,
            "train_00002_aligned.csv, line 1", "AU columns");
        CollectionAssert.AreEqual(OpenFaceCsv.Presence(0), train.Samples[0].Aus);
        Assert.IsNull(train.Samples[1].Aus);
    }

    [TestMethod]
    public void UnusableSingleFilesAreFatalUnderBothPolicies()
    {
        using var fixture = RafDb();
        fixture.Write("headerless.csv", "train_00001.jpg,1,0");
        fixture.Write("nofile.csv", "AU01,AU12", "1,0");
        fixture.Write("presence.csv", "file,AU01,AU12", "train_00001.jpg,1,0");
        fixture.Write("intensity.csv", "file, AU01_r, AU12_r", "train_00001.jpg, 1.5, 0.0");
        (AuSourceOptions Aus, IssueKind Kind, string Mention)[] cases =
        [
            (new() { Source = AuSource.OpenFace, Path = "headerless.csv" }, IssueKind.MissingHeader, "headerless.csv, line 1"),
            (new() { Source = AuSource.OpenFace, Path = "nofile.csv" }, IssueKind.MissingColumn, "image-name column"),
            (new() { Source = AuSource.OpenFace, Path = "presence.csv", FileColumn = "path" }, IssueKind.MissingColumn, "a column 'path'"),
            (new() { Source = AuSource.OpenFace, Path = "presence.csv", Subset = ["AU04", "AU01"] }, IssueKind.MissingColumn, "field 'AU04'"),
            (new() { Source = AuSource.OpenFace, Path = "presence.csv", Mode = AuMode.Intensity }, IssueKind.MissingColumn, "intensity"),
            // Presence read from a file of intensities only: the presence columns are missing, and the intensity mode is named.
            (new() { Source = AuSource.OpenFace, Path = "intensity.csv" }, IssueKind.MissingColumn, "the header has no presence columns"),
            (new() { Source = AuSource.OpenFace, Path = "intensity.csv" }, IssueKind.MissingColumn, "data.au.mode: intensity"),
            (new() { Source = AuSource.OpenFace, Path = "absent.csv" }, IssueKind.UnreadableFile, "absent.csv"),
        ];
        foreach (var (aus, kind, mention) in cases)
        {
            Policies.Fatal(p => new DatasetSource(Options(fixture, aus, p)).Load("train"), kind, mention);
        }
    }

    [TestMethod]
    public void CollidingStemsAreNotJoined()
    {
        using var fixture = new Fixture();
        fixture.Image("train/happy/1.png");
        fixture.Image("train/happy/2.png");
        fixture.Image("test/happy/1.png");
        fixture.Write("aus.csv", "file,AU01", "1.png,1", "2.png,1");
        var train = Policies.CheckSource(p => fixture.Options(DataFormat.Folder, p) with { Aus = new AuSourceOptions { Source = AuSource.OpenFace, Path = "aus.csv" } }, "train",
            IssueKind.DuplicateId, 1, "share the AU join key '1'");
        Assert.IsNull(train.Samples[0].Aus);
        CollectionAssert.AreEqual(new[] { 1f }, train.Samples[1].Aus);
    }

    [TestMethod]
    public void AuNamesAreNormalized()
    {
        Assert.IsTrue(AuNames.TryParse(" AU01_c", out var au, out var suffix));
        Assert.AreEqual(("AU01", 'c'), (au, suffix));
        Assert.IsTrue(AuNames.TryParse("au6", out au, out suffix));
        Assert.AreEqual(("AU06", '\0'), (au, suffix));
        Assert.IsFalse(AuNames.TryParse("confidence", out _, out _));
        Assert.IsFalse(AuNames.TryParse("AU", out _, out _));
        Assert.HasCount(17, AuNames.OpenFaceIntensity);
        Assert.DoesNotContain("AU28", AuNames.OpenFaceIntensity);
    }
}
