using OpenCvSharp;
using UlcAg.Data.Faces;

namespace UlcAg.Data.Tests;

/// <summary>The BlazeFace detector on real photographs, on images without faces, and on scenes composed from both.</summary>
[TestClass]
public sealed class BlazeFaceDetectorTests
{
    private static BlazeFaceDetector? _detector;

    private static BlazeFaceDetector Detector => _detector ??= new BlazeFaceDetector();

    [ClassCleanup]
    public static void Cleanup()
    {
        _detector?.Dispose();
        _detector = null;
    }

    [TestMethod]
    public void RealPhotographs_EachHasExactlyOneFace_WithBothEyesInsideItsBox()
    {
        var problems = new List<string>();
        foreach (var file in RealFaces.Files)
        {
            using var image = Cv2.ImRead(file, ImreadModes.Color);
            var faces = Detector.Detect(image);
            if (faces.Count != 1)
            {
                problems.Add($"{Path.GetFileName(file)}: {faces.Count} faces");
                continue;
            }

            var (box, k) = (faces[0].Box, faces[0].Keypoints!);
            if (!Inside(box, k.LeftEye) || !Inside(box, k.RightEye))
            {
                problems.Add($"{Path.GetFileName(file)}: eyes {k.LeftEye}, {k.RightEye} outside box {box}");
            }

            if (!(k.LeftEye.X < k.Nose.X && k.Nose.X < k.RightEye.X && k.Nose.Y < k.Mouth.Y))
            {
                problems.Add($"{Path.GetFileName(file)}: keypoints out of order: {k}");
            }

            if (faces[0].Score is < 0.6f or > 1f)
            {
                problems.Add($"{Path.GetFileName(file)}: score {faces[0].Score}");
            }
        }

        Assert.HasCount(23, RealFaces.Files);
        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    // Not "Clouds": blurred colour noise whose blobs are about a tenth of a face makes BlazeFace see
    // faces at that scale (scores up to 0.8; Haar sees some too). tools/FaceDetectBench measures it
    // (docs/BENCHMARKS.md, "Face detection").
    [TestMethod]
    [DataRow("Noise")]
    [DataRow("Stripes")]
    [DataRow("Gradient")]
    [DataRow("Shapes")]
    [DataRow("Checker")]
    public void ImagesWithoutFaces_HaveNone(string background)
    {
        var kind = Enum.Parse<RealFaces.Background>(background);
        foreach (var (width, height, seed) in new[] { (1920, 1080, 1), (640, 480, 2), (300, 300, 3) })
        {
            using var image = RealFaces.MakeBackground(kind, width, height, seed);
            var faces = Detector.Detect(image);
            Assert.IsEmpty(faces, $"{kind} {width}x{height}: {string.Join("; ", faces.Select(f => $"{f.Box} score {f.Score:F2}"))}");
        }

        using var plain = new Mat(200, 200, MatType.CV_8UC3, new Scalar(90, 120, 150));
        Assert.IsEmpty(Detector.Detect(plain));
    }

    [TestMethod]
    [DataRow("Clouds", 11)]
    [DataRow("Stripes", 12)]
    [DataRow("Shapes", 13)]
    [DataRow("Gradient", 14)]
    public void ComposedScene_FindsEveryPastedFaceAtItsPlace_AndNothingElse(string background, int seed)
    {
        // Eight faces from 96 to 330 px on a 1920 x 1080 photo: 5% to 17% of its width.
        var (scene, placed) = RealFaces.Scene(1920, 1080, 8, 96, 330, Enum.Parse<RealFaces.Background>(background), seed);
        using (scene)
        {
            var faces = Detector.Detect(scene);

            var report = string.Join("\n", faces.Select(f => $"  {f.Box} score {f.Score:F2}"));
            Assert.HasCount(placed.Count, faces, $"placed at {string.Join(", ", placed.Select(p => p.Rect))}; found\n{report}");
            foreach (var p in placed)
            {
                // The face's box lies over the pasted photograph: centred in it, mostly inside it, and
                // as large as the face in it (the photographs are face crops: the face fills 55-100% of them).
                var face = faces.SingleOrDefault(f => p.Rect.Contains((int)(f.Box.X + (f.Box.Width / 2)), (int)(f.Box.Y + (f.Box.Height / 2))));
                Assert.IsNotNull(face, $"no face over {p.Rect} ({Path.GetFileName(p.File)}); found\n{report}");
                Assert.IsGreaterThan(0.8, InsideFraction(face.Box, p.Rect), $"{face.Box} vs {p.Rect}");
                Assert.IsTrue(face.Box.Width > 0.45 * p.Side && face.Box.Width < 1.2 * p.Side, $"box {face.Box.Width} px for a {p.Side} px photograph");
                Assert.IsTrue(Inside(face.Box, face.Keypoints!.LeftEye) && Inside(face.Box, face.Keypoints.RightEye), $"eyes outside {face.Box}");
            }
        }
    }

    [TestMethod]
    public void ComposedScene_ThroughThePipeline_IsReportedInThePhotosOwnPixels()
    {
        // The inference pipeline detects on a copy scaled to 1024 px and maps back.
        var (scene, placed) = RealFaces.Scene(1920, 1080, 6, 120, 330, RealFaces.Background.Checker, seed: 21);
        using (scene)
        {
            var faces = new FacePipeline(new FacePipelineOptions(), Detector).Detect(scene);
            Assert.HasCount(placed.Count, faces);
            foreach (var p in placed)
            {
                Assert.IsTrue(faces.Any(f => InsideFraction(f.Box, p.Rect) > 0.8 && Inside(f.Box, f.Keypoints!.Mouth)), $"no face over {p.Rect}");
            }
        }
    }

    [TestMethod]
    public void Alignment_PutsTheEyesWhereTheTemplateSays()
    {
        const int size = 112;
        var template = FaceTemplate.ForSize(size);
        var errors = new List<double>();
        var redetected = new List<double>();
        var problems = new List<string>();
        foreach (var file in RealFaces.Files)
        {
            using var image = Cv2.ImRead(file, ImreadModes.Color);
            var keypoints = Detector.Detect(image).Single().Keypoints!;

            // The fitted transform takes the detected eyes to the template's eyes, within 3 px of 112.
            var transform = FaceAligner.TemplateTransform(keypoints, size);
            foreach (var (eye, target) in new[] { (keypoints.LeftEye, template[0]), (keypoints.RightEye, template[1]) })
            {
                var p = transform.Apply(new Point2d(eye.X, eye.Y));
                errors.Add(Math.Sqrt(((p.X - target.X) * (p.X - target.X)) + ((p.Y - target.Y) * (p.Y - target.Y))));
            }

            // And in the warped pixels: detecting again on a larger aligned crop (with context around
            // the face) finds the eyes at the template's eyes.
            const int big = 256;
            const float padding = 0.25f;
            using var crop = FaceAligner.AlignToTemplate(image, keypoints, big, padding);
            var again = Detector.Detect(crop);
            if (again.Count != 1)
            {
                problems.Add($"{Path.GetFileName(file)}: {again.Count} faces in the aligned crop");
                continue;
            }

            var expected = FaceTemplate.ForSize(big, padding);
            var k = again[0].Keypoints!;
            foreach (var (eye, target) in new[] { (k.LeftEye, expected[0]), (k.RightEye, expected[1]) })
            {
                redetected.Add(Math.Sqrt(((eye.X - target.X) * (eye.X - target.X)) + ((eye.Y - target.Y) * (eye.Y - target.Y))));
            }
        }

        Assert.IsEmpty(problems, string.Join("\n", problems));
        Assert.IsLessThan(3.0, errors.Max(), $"largest eye error {errors.Max():F2} px of {size}");

        // The detector's eyes in the warped crop also include its own jitter between two views of a
        // face (the eye distance there is 54 px).
        var sorted = redetected.Order().ToList();
        var report = string.Join(" ", sorted.Select(e => e.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.IsLessThan(6.0, sorted[sorted.Count / 2], $"median eye error in the aligned 256 px crops; all: {report}");
        Assert.IsLessThan(14.0, sorted[^1], $"largest eye error in the aligned 256 px crops; all: {report}");
    }

    [TestMethod]
    public void Pipeline_AlignsBlazeFaceFacesByEyesAndMouth()
    {
        using var image = Cv2.ImRead(RealFaces.Files[0], ImreadModes.Color);
        var pipeline = new FacePipeline(new FacePipelineOptions { Size = 112 }, Detector);
        var faces = pipeline.DetectAndAlign(image);
        try
        {
            Assert.HasCount(1, faces);
            Assert.AreEqual(FaceCropKind.ThreePoint, faces[0].Kind);
            Assert.IsNotNull(faces[0].Keypoints);
            Assert.AreEqual(new Size(112, 112), faces[0].Crop.Size());
            using var expected = FaceAligner.AlignToTemplate(image, faces[0].Keypoints!, 112);
            Assert.AreEqual(0, Cv2.Norm(expected, faces[0].Crop, NormTypes.L1));
        }
        finally
        {
            foreach (var face in faces)
            {
                face.Dispose();
            }
        }

        var boxes = new FacePipeline(new FacePipelineOptions { Mode = AlignMode.Box }, Detector).DetectAndAlign(image);
        Assert.AreEqual(FaceCropKind.Box, boxes.Single().Kind);
        boxes[0].Dispose();
    }

    [TestMethod]
    public void GrayAndAlphaImages_AreDetectedToo()
    {
        using var image = Cv2.ImRead(RealFaces.Files[3], ImreadModes.Color);
        using var gray = image.CvtColor(ColorConversionCodes.BGR2GRAY);
        using var bgra = image.CvtColor(ColorConversionCodes.BGR2BGRA);
        Assert.HasCount(1, Detector.Detect(gray));
        Assert.HasCount(1, Detector.Detect(bgra));
    }

    [TestMethod]
    public void ShortRangeModel_FindsALargeFace()
    {
        var path = Path.Combine(Path.GetDirectoryName(BlazeFaceDetector.DefaultModelPath)!, BlazeFaceDetector.ShortRangeModelFileName);
        using var detector = new BlazeFaceDetector(path);
        Assert.AreEqual(128, detector.InputSize);
        using var image = Cv2.ImRead(RealFaces.Files[5], ImreadModes.Color);
        var faces = detector.Detect(image);
        Assert.HasCount(1, faces);
        Assert.IsTrue(Inside(faces[0].Box, faces[0].Keypoints!.LeftEye));
    }

    [TestMethod]
    public void Spec_IsTheDefault_AndCreatesBlazeFace()
    {
        Assert.AreEqual(FaceDetectorKind.BlazeFace, FaceDetectorSpec.Default.Kind);
        Assert.AreEqual(BlazeFaceDetector.DefaultScoreThreshold, FaceDetectorSpec.Default.ScoreThreshold);
        using var detector = FaceDetectorSpec.Default.Create();
        Assert.IsInstanceOfType<BlazeFaceDetector>(detector);
        Assert.IsTrue(detector.ProvidesLandmarks);
        StringAssert.Contains(FaceDetectorSpec.Default.KeyText(), BlazeFaceDetector.DefaultModelFileName);
    }

    [TestMethod]
    public void MissingModel_NamesThePathAndHowToGetIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir", "blazeface.onnx");
        var e = Assert.ThrowsExactly<FaceDetectorUnavailableException>(() => new BlazeFaceDetector(missing));
        StringAssert.Contains(e.Message, missing);
        StringAssert.Contains(e.Message, BlazeFaceDetector.DefaultModelFileName);

        // The default path (here redirected by the environment variable) says how the files get there.
        var before = Environment.GetEnvironmentVariable(BlazeFaceDetector.ModelPathVariable);
        try
        {
            Environment.SetEnvironmentVariable(BlazeFaceDetector.ModelPathVariable, missing);
            e = Assert.ThrowsExactly<FaceDetectorUnavailableException>(() => FaceDetectorSpec.Default.Create());
            StringAssert.Contains(e.Message, missing);
            StringAssert.Contains(e.Message, "third_party/blazeface");
            StringAssert.Contains(e.Message, "tools/setup.sh");
            StringAssert.Contains(e.Message, BlazeFaceDetector.ModelPathVariable);
        }
        finally
        {
            Environment.SetEnvironmentVariable(BlazeFaceDetector.ModelPathVariable, before);
        }
    }

    [TestMethod]
    public void NotABlazeFaceModel_IsReportedAsUnavailable()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ulcag-blazeface-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var junk = Path.Combine(dir, "junk.onnx");
            File.WriteAllBytes(junk, [1, 2, 3, 4, 5]);
            var e = Assert.ThrowsExactly<FaceDetectorUnavailableException>(() => new BlazeFaceDetector(junk));
            StringAssert.Contains(e.Message, junk);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static bool Inside(FaceBox box, Point2f p) =>
        p.X >= box.X && p.X <= box.X + box.Width && p.Y >= box.Y && p.Y <= box.Y + box.Height;

    private static double InsideFraction(FaceBox box, Rect rect)
    {
        var w = Math.Min(box.X + box.Width, rect.Right) - Math.Max(box.X, rect.Left);
        var h = Math.Min(box.Y + box.Height, rect.Bottom) - Math.Max(box.Y, rect.Top);
        return w <= 0 || h <= 0 ? 0 : w * h / (box.Width * box.Height);
    }
}
