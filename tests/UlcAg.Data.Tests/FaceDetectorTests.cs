using OpenCvSharp;
using UlcAg.Data.Faces;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class FaceDetectorTests
{
    private readonly TempDirectory _temp = new();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    [TestMethod]
    public void Haar_FindsADrawnFace()
    {
        RequireDefaultCascade();
        using var image = new Mat(300, 360, MatType.CV_8UC3, new Scalar(200, 200, 200));
        FaceTestImages.DrawFace(image, 200, 150, 1.0);
        using var detector = new HaarFaceDetector();

        var faces = detector.Detect(image);

        Assert.IsNotEmpty(faces);
        var box = faces[0].Box;
        Assert.AreEqual(200, box.X + (box.Width / 2), 25, "box centre x");
        Assert.AreEqual(150, box.Y + (box.Height / 2), 25, "box centre y");
        Assert.IsTrue(box.Width is > 100 and < 260, $"box width {box.Width}");
        Assert.IsNull(faces[0].Landmarks);
        Assert.IsFalse(detector.ProvidesLandmarks);
    }

    [TestMethod]
    public void Haar_FindsNothingOnAPlainImage()
    {
        RequireDefaultCascade();
        using var image = new Mat(200, 200, MatType.CV_8UC3, new Scalar(90, 120, 150));
        using var detector = new HaarFaceDetector();
        Assert.IsEmpty(detector.Detect(image));
    }

    [TestMethod]
    public void Haar_MissingCascade_NamesTheFileAndThePackage()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir", "cascade.xml");
        var e = Assert.ThrowsExactly<FaceDetectorUnavailableException>(() => new HaarFaceDetector(path));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "opencv-data");
    }

    [TestMethod]
    public void Haar_NotACascade_IsReportedAsUnavailable()
    {
        var dir = _temp.Path;
        var path = Path.Combine(dir, "broken.xml");
        File.WriteAllText(path, "<?xml version=\"1.0\"?><opencv_storage><nothing/></opencv_storage>");
        var e = Assert.ThrowsExactly<FaceDetectorUnavailableException>(() => new HaarFaceDetector(path));
        StringAssert.Contains(e.Message, path);
    }

    [TestMethod]
    public void YuNet_MissingOrBrokenModel_IsReportedAsUnavailable()
    {
        var dir = _temp.Path;
        var missing = Path.Combine(dir, "yunet.onnx");
        var e = Assert.ThrowsExactly<FaceDetectorUnavailableException>(() => FaceDetectorSpec.YuNet(missing).Create());
        StringAssert.Contains(e.Message, missing);

        File.WriteAllBytes(missing, [1, 2, 3, 4, 5]);
        e = Assert.ThrowsExactly<FaceDetectorUnavailableException>(() => new YuNetFaceDetector(missing));
        StringAssert.Contains(e.Message, missing);
    }

    [TestMethod]
    public void YuNet_DetectsAFaceWithLandmarks_WhenAModelIsProvided()
    {
        // The YuNet model is not shipped with UlcAg; set ULCAG_YUNET_MODEL to an .onnx file to run this.
        var model = Environment.GetEnvironmentVariable("ULCAG_YUNET_MODEL");
        if (string.IsNullOrEmpty(model) || !File.Exists(model))
        {
            Assert.Inconclusive("ULCAG_YUNET_MODEL does not name a YuNet .onnx file");
        }

        using var image = new Mat(300, 360, MatType.CV_8UC3, new Scalar(200, 200, 200));
        FaceTestImages.DrawFace(image, 200, 150, 1.0);
        using var detector = new YuNetFaceDetector(model, scoreThreshold: 0.3f);
        var faces = detector.Detect(image);
        Assert.IsNotEmpty(faces);
        Assert.IsNotNull(faces[0].Landmarks);
        Assert.IsTrue(faces[0].Landmarks!.LeftEye.X < faces[0].Landmarks!.RightEye.X);
    }

    [TestMethod]
    public void SpecKey_ChangesWithTheModelFile()
    {
        var dir = _temp.Path;
        var path = Path.Combine(dir, "cascade.xml");
        File.WriteAllText(path, "one");
        var spec = FaceDetectorSpec.Haar(path);
        var before = spec.KeyText();
        File.WriteAllText(path, "three");
        Assert.AreNotEqual(before, spec.KeyText());
        Assert.AreNotEqual(spec.KeyText(), (spec with { MinNeighbors = 3 }).KeyText());
    }

    internal static void RequireDefaultCascade()
    {
        if (!File.Exists(HaarFaceDetector.DefaultCascadePath))
        {
            Assert.Inconclusive($"{HaarFaceDetector.DefaultCascadePath} is missing (Debian package opencv-data)");
        }
    }
}
