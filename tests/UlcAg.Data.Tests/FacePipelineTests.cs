using OpenCvSharp;
using UlcAg.Data.Faces;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class FacePipelineTests
{
    private readonly TempDirectory _temp = new();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    [TestMethod]
    public void Prepare_PrefersLandmarksThenBoxThenDetectorThenResize()
    {
        using var image = FaceTestImages.RandomBgr(200, 160, seed: 5);
        var detected = new DetectedFace(new FaceBox(50, 40, 60, 60), 0.9f);
        using var detector = new FixedDetector([detected]);
        var pipeline = new FacePipeline(new FacePipelineOptions { Size = 48 }, detector);
        float[] marks = [70, 60, 100, 60, 85, 75, 73, 90, 97, 90];

        using (var a = pipeline.Prepare(image, new FaceBox(10, 10, 50, 50), marks, "s"))
        {
            Assert.AreEqual(FaceCropKind.FivePoint, a.Kind);
        }

        using (var b = pipeline.Prepare(image, new FaceBox(10, 10, 50, 50), null, "s"))
        {
            Assert.AreEqual(FaceCropKind.Box, b.Kind);
            Assert.AreEqual(new FaceBox(10, 10, 50, 50), b.Box);
        }

        using (var c = pipeline.Prepare(image, null, null, "s"))
        {
            Assert.AreEqual(FaceCropKind.Box, c.Kind);
            Assert.AreEqual(detected.Box, c.Box);
            Assert.AreEqual(1, detector.Calls);
        }

        var boxOnly = new FacePipeline(new FacePipelineOptions { Size = 48, Mode = AlignMode.Box });
        using (var d = boxOnly.Prepare(image, new FaceBox(10, 10, 50, 50), marks, "s"))
        {
            Assert.AreEqual(FaceCropKind.Box, d.Kind);
        }

        var resize = new FacePipeline(new FacePipelineOptions { Size = 48, Mode = AlignMode.Resize }, detector);
        using (var e = resize.Prepare(image, new FaceBox(10, 10, 50, 50), marks, "s"))
        {
            Assert.AreEqual(FaceCropKind.Resize, e.Kind);
            Assert.AreEqual(48, e.Crop.Rows);
        }

        using var none = new FixedDetector([]);
        using var f = new FacePipeline(new FacePipelineOptions { Size = 48 }, none).Prepare(image, null, null, "s");
        Assert.AreEqual(FaceCropKind.NoFaceFound, f.Kind);
        using var expected = FaceAligner.ResizeTo(image, 48);
        CollectionAssert.AreEqual(FaceTestImages.Bytes(expected), FaceTestImages.Bytes(f.Crop));
    }

    [TestMethod]
    public void Prepare_BadLandmarkCount_NamesTheSample()
    {
        using var image = FaceTestImages.RandomBgr(50, 50, seed: 1);
        var pipeline = new FacePipeline(new FacePipelineOptions { Size = 32 });
        var e = Assert.ThrowsExactly<ImageDecodeException>(() => pipeline.Prepare(image, null, new float[7], "train_0042"));
        StringAssert.Contains(e.Message, "train_0042");
    }

    [TestMethod]
    public void Detect_OnAHugeImage_RunsOnAScaledCopyAndReportsOriginalPixels()
    {
        using var image = new Mat(2400, 3200, MatType.CV_8UC3, Scalar.All(0));
        // The fake detector reports a box and landmarks in the coordinates of the image it sees.
        var seen = new DetectedFace(new FaceBox(100, 50, 40, 40), 1f, FiveLandmarks.FromFlat([110, 60, 130, 60, 120, 70, 112, 80, 128, 80]));
        using var detector = new FixedDetector([seen]);
        var pipeline = new FacePipeline(new FacePipelineOptions { Size = 64, MaxDetectSide = 800 }, detector);

        var faces = pipeline.Detect(image);

        Assert.AreEqual(new Size(800, 600), detector.LastSize);
        Assert.AreEqual(new FaceBox(400, 200, 160, 160), faces[0].Box);
        // Pixel centres: x_original = (x + 0.5) * 4 - 0.5.
        Assert.AreEqual(441.5f, faces[0].Landmarks!.LeftEye.X, 1e-3);
        Assert.AreEqual(241.5f, faces[0].Landmarks!.LeftEye.Y, 1e-3);
    }

    [TestMethod]
    public void DetectAndAlign_HaarOnALargePhoto_CropsTheFaceFromTheOriginal()
    {
        FaceDetectorTests.RequireDefaultCascade();
        var dir = _temp.Path;
        var path = Path.Combine(dir, "photo.jpg");
        FaceTestImages.WriteFacePhoto(path, 2400, 1800, 1500, 800, 3.0);

        using var detector = new HaarFaceDetector();
        var pipeline = new FacePipeline(new FacePipelineOptions { Size = 112, Margin = 0.1f, MaxDetectSide = 640 }, detector);
        var faces = pipeline.DetectAndAlign(path);
        try
        {
            Assert.IsNotEmpty(faces);
            var box = faces[0].Box!.Value;
            Assert.AreEqual(1500, box.X + (box.Width / 2), 80);
            Assert.AreEqual(800, box.Y + (box.Height / 2), 80);
            Assert.AreEqual(FaceCropKind.Box, faces[0].Kind);
            Assert.AreEqual(112, faces[0].Crop.Rows);
            Assert.AreEqual(112, faces[0].Crop.Cols);
            // The crop centre is skin (B=150, G=180, R=220 in the drawing), not background gray.
            var centre = faces[0].Crop.At<Vec3b>(56, 56);
            Assert.IsTrue(centre.Item2 > centre.Item0 + 30, $"centre pixel {centre}");
        }
        finally
        {
            foreach (var f in faces)
            {
                f.Dispose();
            }
        }
    }

    [TestMethod]
    public void DetectAndAlign_WithoutDetector_ReturnsTheWholeImageFromAnyPixelFormat()
    {
        var pipeline = new FacePipeline(new FacePipelineOptions { Size = 20 });
        using var gray16 = new Mat(40, 40, MatType.CV_16UC1, Scalar.All(257 * 200));
        var faces = pipeline.DetectAndAlign(gray16);
        Assert.HasCount(1, faces);
        using var face = faces[0];
        Assert.AreEqual(FaceCropKind.Resize, face.Kind);
        Assert.AreEqual(MatType.CV_8UC3, face.Crop.Type());
        Assert.AreEqual(new Vec3b(200, 200, 200), face.Crop.At<Vec3b>(10, 10));
    }

    private sealed class FixedDetector(IReadOnlyList<DetectedFace> faces) : IFaceDetector
    {
        public int Calls { get; private set; }

        public Size LastSize { get; private set; }

        public bool ProvidesLandmarks => true;

        public IReadOnlyList<DetectedFace> Detect(Mat bgr)
        {
            Calls++;
            LastSize = bgr.Size();
            return faces;
        }

        public void Dispose()
        {
        }
    }
}
