using System.Text.Json;
using OpenCvSharp;
using UlcAg.Data.Faces;

namespace UlcAg.Inference.Tests;

[TestClass]
public sealed class CliTests
{
    private readonly TempDirectory _temp = new();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    private string Dir => _temp.Path;

    [TestMethod]
    public void Photo_TablePrintsEachFaceWithBoxExpressionProbabilitiesAndAlpha()
    {
        var model = TrainedModel();
        var photo = Photos.TwoFaces(Path.Combine(Dir, "two.png"));

        var run = CliRun.Of(Dir, photo);

        Assert.AreEqual(0, run.ExitCode, run.Errors);
        Assert.AreEqual("", run.Errors);
        StringAssert.Contains(run.Output, model);
        StringAssert.Contains(run.Output, "two.png");
        StringAssert.Contains(run.Output, "800x420, 2 faces");
        foreach (var name in ContractModels.Expressions)
        {
            StringAssert.Contains(run.Output, name);
        }

        // The printed numbers are the model's on the crops the metadata asks for.
        var expected = Recognize(model, photo);
        Assert.HasCount(2, expected.Faces);
        foreach (var face in expected.Faces)
        {
            var p = face.Prediction;
            var row = run.Output.Split('\n').Single(l => l.Contains(BoxText(face)));
            StringAssert.Contains(row, p.Label);
            StringAssert.Contains(row, p.Alpha!.Value.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
            foreach (var q in p.Probabilities)
            {
                StringAssert.Contains(row, q.ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        StringAssert.Contains(run.Output, "1 image: 2 faces classified, 0 without a face, 0 failed");
    }

    [TestMethod]
    public void Photo_OnANarrowTerminal_TableHasOneColumnPerFace()
    {
        var model = TrainedModel();
        var photo = Photos.TwoFaces(Path.Combine(Dir, "two.png"));

        var run = CliRun.Of(Dir, 80, photo);

        Assert.AreEqual(0, run.ExitCode, run.Errors);
        var lines = run.Output.Split('\n');
        Assert.IsTrue(lines.All(l => l.Length <= 80), run.Output);
        var expected = Recognize(model, photo);
        var boxes = lines.Single(l => l.Contains("Box x,y wxh"));
        var labels = lines.Single(l => l.Contains("Expression"));
        for (var i = 0; i < 2; i++)
        {
            var p = expected.Faces[i].Prediction;
            StringAssert.Contains(boxes, BoxText(expected.Faces[i]));
            StringAssert.Contains(labels, p.Label);
            for (var k = 0; k < ContractModels.Expressions.Length; k++)
            {
                var row = lines.Single(l => l.StartsWith($"│ {ContractModels.Expressions[k]} ", StringComparison.Ordinal));
                StringAssert.Contains(row, p.Probabilities[k].ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    [TestMethod]
    public void Json_IsOneDocumentWithModelImagesFacesAndSummary()
    {
        var model = TrainedModel();
        var photo = Photos.TwoFaces(Path.Combine(Dir, "two.png"));
        var broken = Path.Combine(Dir, "broken.jpg");
        File.WriteAllText(broken, "not an image");

        var run = CliRun.Of(Dir, "--json", photo, broken);

        Assert.AreEqual(1, run.ExitCode);
        StringAssert.Contains(run.Errors, "broken.jpg: not a decodable image");
        using var doc = JsonDocument.Parse(run.Output);
        var root = doc.RootElement;
        Assert.AreEqual(model, root.GetProperty("model").GetProperty("path").GetString());
        CollectionAssert.AreEqual(ContractModels.Expressions, root.GetProperty("model").GetProperty("classes").EnumerateArray().Select(e => e.GetString()).ToArray());
        Assert.AreEqual(64, root.GetProperty("model").GetProperty("input_size").GetInt32());
        Assert.AreEqual("cpu", root.GetProperty("device").GetString());
        Assert.AreEqual("blazeface", root.GetProperty("detector").GetString());

        var images = root.GetProperty("images").EnumerateArray().ToList();
        Assert.HasCount(2, images);
        Assert.AreEqual("ok", images[0].GetProperty("status").GetString());
        Assert.AreEqual(800, images[0].GetProperty("width").GetInt32());
        var faces = images[0].GetProperty("faces").EnumerateArray().ToList();
        Assert.HasCount(2, faces);
        var expected = Recognize(model, photo);
        for (var i = 0; i < 2; i++)
        {
            var face = faces[i];
            var box = face.GetProperty("box");
            Assert.AreEqual(expected.Faces[i].Box!.Value.X, box.GetProperty("x").GetSingle());
            Assert.AreEqual("threepoint", face.GetProperty("crop").GetString(), "BlazeFace's eyes and mouth align the face");
            var probabilities = face.GetProperty("probabilities").EnumerateObject().ToList();
            CollectionAssert.AreEqual(ContractModels.Expressions, probabilities.Select(p => p.Name).ToArray());
            Assert.AreEqual(1.0, probabilities.Sum(p => p.Value.GetDouble()), 1e-5);
            for (var k = 0; k < probabilities.Count; k++)
            {
                Assert.AreEqual(expected.Faces[i].Prediction.Probabilities[k], probabilities[k].Value.GetSingle());
            }

            var index = face.GetProperty("class_index").GetInt32();
            Assert.AreEqual(ContractModels.Expressions[index], face.GetProperty("expression").GetString());
            Assert.AreEqual(probabilities[index].Value.GetSingle(), face.GetProperty("confidence").GetSingle());
            Assert.AreEqual(expected.Faces[i].Prediction.Alpha!.Value, face.GetProperty("alpha").GetSingle());
        }

        // Largest first, each box around the face pasted there.
        AssertCentre(faces[0].GetProperty("box"), 220, 210, tolerance: 40);
        AssertCentre(faces[1].GetProperty("box"), 590, 200, tolerance: 40);

        Assert.AreEqual("error", images[1].GetProperty("status").GetString());
        StringAssert.Contains(images[1].GetProperty("error").GetString(), "not a decodable image");
        Assert.AreEqual(0, images[1].GetProperty("faces").GetArrayLength());

        var summary = root.GetProperty("summary");
        Assert.AreEqual(2, summary.GetProperty("images").GetInt32());
        Assert.AreEqual(2, summary.GetProperty("faces").GetInt32());
        Assert.AreEqual(0, summary.GetProperty("no_face").GetInt32());
        Assert.AreEqual(1, summary.GetProperty("failed").GetInt32());
    }

    [TestMethod]
    public void Detector_HaarStaysAChoice_AndCropsByBox()
    {
        TrainedModel();
        var photo = Photos.TwoFaces(Path.Combine(Dir, "two.png"));

        var run = CliRun.Of(Dir, "--json", "--detector", "haar", photo);

        Assert.AreEqual(0, run.ExitCode, run.Errors);
        using var doc = JsonDocument.Parse(run.Output);
        Assert.AreEqual("haar", doc.RootElement.GetProperty("detector").GetString());
        var faces = doc.RootElement.GetProperty("images")[0].GetProperty("faces").EnumerateArray().ToList();
        Assert.HasCount(2, faces);
        Assert.IsTrue(faces.All(f => f.GetProperty("crop").GetString() == "box"));
        AssertCentre(faces[0].GetProperty("box"), 220, 210, tolerance: 40);
    }

    [TestMethod]
    public void FaceAlignmentMetadata_DecidesTheCrop()
    {
        var photo = Photos.TwoFaces(Path.Combine(Dir, "two.png"));
        var tight = Path.Combine(Dir, "tight", "model.onnx");
        var wide = Path.Combine(Dir, "wide", "model.onnx");
        ContractModels.WriteConvNet(tight, editMetadata: m => m[ModelMetadataKeys.FaceAlignment] = """{"mode":"box","margin":0.0}""");
        ContractModels.WriteConvNet(wide, editMetadata: m => m[ModelMetadataKeys.FaceAlignment] = """{"mode":"box","margin":0.5}""");

        var a = FirstFace(CliRun.Of(Dir, "--json", "--model", tight, photo));
        var b = FirstFace(CliRun.Of(Dir, "--json", "--model", wide, photo));

        // The same weights on differently cropped faces; each equals the model on its own crop.
        Assert.AreNotEqual(a[0], b[0]);
        using var detector = FaceDetectorSpec.Default.Create();
        using var model = ExpressionModel.Load(wide);
        using var image = ImageDecoder.DecodeFile(photo);
        var box = detector.Detect(image)[0].Box;
        using var crop = FaceAligner.CropBox(image, box, 0.5f, 64);
        CollectionAssert.AreEqual(model.Predict([crop])[0].Probabilities, b);
    }

    [TestMethod]
    public void NoDetect_ClassifiesEachWholeImageOfAFolderRecursively()
    {
        var model = Path.Combine(Dir, "means.onnx");
        ContractModels.WriteChannelMeans(model);
        var crops = Path.Combine(Dir, "crops");
        Photos.Solid(Path.Combine(crops, "a-red.png"), new Scalar(0, 0, 255));
        Photos.Solid(Path.Combine(crops, "sub", "b-green.jpg"), new Scalar(0, 255, 0));
        Photos.Solid(Path.Combine(crops, "sub", "deeper", "c-blue.bmp"), new Scalar(255, 0, 0));
        File.WriteAllText(Path.Combine(crops, "notes.txt"), "skipped: not an image extension");

        var run = CliRun.Of(Dir, "--json", "--no-detect", "--model", model, crops);

        Assert.AreEqual(0, run.ExitCode, run.Errors);
        using var doc = JsonDocument.Parse(run.Output);
        Assert.AreEqual("none (whole images)", doc.RootElement.GetProperty("detector").GetString());
        var images = doc.RootElement.GetProperty("images").EnumerateArray().ToList();
        CollectionAssert.AreEqual(
            new[] { "a-red.png", "b-green.jpg", "c-blue.bmp" },
            images.Select(i => Path.GetFileName(i.GetProperty("path").GetString())).ToArray());
        CollectionAssert.AreEqual(
            new[] { "Red", "Green", "Blue" },
            images.Select(i => i.GetProperty("faces")[0].GetProperty("expression").GetString()).ToArray());
        foreach (var image in images)
        {
            var face = image.GetProperty("faces")[0];
            Assert.AreEqual(JsonValueKind.Null, face.GetProperty("box").ValueKind);
            Assert.AreEqual("resize", face.GetProperty("crop").GetString());
        }
    }

    [TestMethod]
    public void NoDetect_TableSaysWholeImage()
    {
        var model = TrainedModel();
        var crop = Photos.Solid(Path.Combine(Dir, "crop.png"), new Scalar(10, 120, 200), 64, 64);
        var run = CliRun.Of(Dir, "--no-detect", crop);
        Assert.AreEqual(0, run.ExitCode, run.Errors);
        StringAssert.Contains(run.Output, "whole image");
        StringAssert.Contains(run.Output, model);
    }

    [TestMethod]
    public void Annotate_OneImage_WritesTheFileWithBoxesDrawn()
    {
        TrainedModel();
        var photo = Photos.TwoFaces(Path.Combine(Dir, "two.png"));
        var output = Path.Combine(Dir, "out", "annotated.jpg");

        var run = CliRun.Of(Dir, "--json", "--annotate", output, photo);

        Assert.AreEqual(0, run.ExitCode, run.Errors);
        using var doc = JsonDocument.Parse(run.Output);
        Assert.AreEqual(output, doc.RootElement.GetProperty("images")[0].GetProperty("annotated").GetString());
        using var original = Cv2.ImRead(photo);
        using var annotated = Cv2.ImRead(output);
        Assert.AreEqual(original.Size(), annotated.Size());
        // The box outline changes the pixels along the first face's left edge; the legend darkens a
        // right-hand corner (the one clear of the second face); the bottom middle stays as it was.
        var box = doc.RootElement.GetProperty("images")[0].GetProperty("faces")[0].GetProperty("box");
        var x = (int)box.GetProperty("x").GetSingle();
        var midY = (int)(box.GetProperty("y").GetSingle() + (box.GetProperty("height").GetSingle() / 2));
        Assert.IsGreaterThan(60, Distance(original.At<Vec3b>(midY, x), annotated.At<Vec3b>(midY, x)));
        Assert.IsLessThan(12, Distance(original.At<Vec3b>(415, 440), annotated.At<Vec3b>(415, 440)));
        Assert.IsGreaterThan(60, Math.Max(Distance(original.At<Vec3b>(415, 795), annotated.At<Vec3b>(415, 795)), Distance(original.At<Vec3b>(4, 795), annotated.At<Vec3b>(4, 795))));
        Assert.IsEmpty(Directory.GetFiles(Path.Combine(Dir, "out"), "*.tmp"));
    }

    [TestMethod]
    public void Annotate_UnwritableTarget_IsNamedAsGiven()
    {
        TrainedModel();
        var photo = Photos.TwoFaces(Path.Combine(Dir, "two.png"));
        // The output's folder cannot exist: its path runs through a file.
        var blocker = Path.Combine(Dir, "blocker");
        File.WriteAllText(blocker, "a file, not a folder");
        var output = Path.Combine(blocker, "annotated.jpg");

        var run = CliRun.Of(Dir, "--annotate", output, photo);

        Assert.AreEqual(1, run.ExitCode, run.Errors);
        StringAssert.Contains(run.Errors, $"Cannot write '{output}'");
        Assert.DoesNotContain(".tmp", run.Errors, "the message names the file asked for, not a temporary one");
    }

    [TestMethod]
    public void Annotate_SeveralImages_WritesAFolderKeepingRelativeNames()
    {
        TrainedModel();
        var photos = Path.Combine(Dir, "photos");
        Directory.CreateDirectory(Path.Combine(photos, "sub"));
        Photos.TwoFaces(Path.Combine(photos, "two.png"));
        Photos.GrayFace(Path.Combine(photos, "sub", "gray.png"));
        Photos.NoFace(Path.Combine(photos, "sub", "empty.png"));
        var output = Path.Combine(Dir, "annotated");

        var run = CliRun.Of(Dir, "--annotate", output, photos);

        Assert.AreEqual(1, run.ExitCode, "the photo without a face makes the run fail");
        Assert.IsTrue(File.Exists(Path.Combine(output, "two.png")));
        Assert.IsTrue(File.Exists(Path.Combine(output, "sub", "gray.png")));
        Assert.IsTrue(File.Exists(Path.Combine(output, "sub", "empty.png")), "a faceless photo is annotated 'no face found'");

        var single = CliRun.Of(Dir, "--annotate", Path.Combine(Dir, "noext"), Path.Combine(photos, "two.png"));
        Assert.AreEqual(2, single.ExitCode);
        StringAssert.Contains(single.Errors, "needs an image extension");
    }

    [TestMethod]
    public void BadInputs_EachGetsAMessageAndTheOthersAreStillProcessed()
    {
        TrainedModel();
        var good = Photos.TwoFaces(Path.Combine(Dir, "good.png"));
        var missing = Path.Combine(Dir, "missing.jpg");
        var text = Path.Combine(Dir, "text.png");
        File.WriteAllText(text, "hello");
        var truncated = Path.Combine(Dir, "truncated.png");
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 3)]);
        var empty = Path.Combine(Dir, "empty.jpg");
        File.WriteAllBytes(empty, []);
        var noFace = Photos.NoFace(Path.Combine(Dir, "landscape.png"));
        var gray = Photos.GrayFace(Path.Combine(Dir, "gray.png"));
        var alpha = Photos.FaceWithAlpha(Path.Combine(Dir, "alpha.png"));
        var emptyFolder = Path.Combine(Dir, "nothing-here");
        Directory.CreateDirectory(emptyFolder);

        var run = CliRun.Of(Dir, "--json", missing, text, good, truncated, empty, noFace, gray, alpha, emptyFolder);

        Assert.AreEqual(1, run.ExitCode);
        AssertNoStackTrace(run);
        StringAssert.Contains(run.Errors, $"{missing}: the file does not exist");
        StringAssert.Contains(run.Errors, $"{text}: not a decodable image");
        StringAssert.Contains(run.Errors, $"{truncated}: not a decodable image");
        StringAssert.Contains(run.Errors, $"{empty}: the file is empty");
        StringAssert.Contains(run.Errors, $"{noFace}: no face found. If the image already is a face crop, use --no-detect.");
        StringAssert.Contains(run.Errors, $"{emptyFolder}: the folder holds no image files");

        using var doc = JsonDocument.Parse(run.Output);
        var status = doc.RootElement.GetProperty("images").EnumerateArray()
            .ToDictionary(i => Path.GetFileName(i.GetProperty("path").GetString()!), i => i.GetProperty("status").GetString());
        Assert.AreEqual("ok", status["good.png"]);
        Assert.AreEqual("ok", status["gray.png"], "grayscale photos work");
        Assert.AreEqual("ok", status["alpha.png"], "photos with an alpha channel work");
        Assert.AreEqual("no_face", status["landscape.png"]);
        Assert.AreEqual("error", status["missing.jpg"]);
        Assert.AreEqual("error", status["text.png"]);
        Assert.AreEqual("error", status["truncated.png"]);
        Assert.AreEqual("error", status["nothing-here"]);
        var summary = doc.RootElement.GetProperty("summary");
        Assert.AreEqual(9, summary.GetProperty("images").GetInt32());
        Assert.AreEqual(4, summary.GetProperty("faces").GetInt32());
        Assert.AreEqual(1, summary.GetProperty("no_face").GetInt32());
        Assert.AreEqual(5, summary.GetProperty("failed").GetInt32());
    }

    [TestMethod]
    public void HugeImage_IsDetectedOnAScaledCopyAndReportedInItsOwnPixels()
    {
        TrainedModel();
        var path = Path.Combine(Dir, "huge.jpg");
        using (var photo = Photos.Face(6000, 4000, 3600, 1800, 1400))
        {
            Cv2.ImWrite(path, photo, new ImageEncodingParam(ImwriteFlags.JpegQuality, 85));
        }

        var run = CliRun.Of(Dir, "--json", path);

        Assert.AreEqual(0, run.ExitCode, run.Errors);
        using var doc = JsonDocument.Parse(run.Output);
        var image = doc.RootElement.GetProperty("images")[0];
        Assert.AreEqual(6000, image.GetProperty("width").GetInt32());
        var box = image.GetProperty("faces")[0].GetProperty("box");
        AssertCentre(box, 3600, 1800, tolerance: 200);
        Assert.IsGreaterThan(800f, box.GetProperty("width").GetSingle());
    }

    [TestMethod]
    public void ImageWithAnImpossibleSizeInItsHeader_IsRejectedWithAMessage()
    {
        TrainedModel();
        // A valid 1 x 1 PNG whose header claims 100000 x 100000 pixels (CRC fixed up).
        var path = Path.Combine(Dir, "bomb.png");
        using (var tiny = new Mat(1, 1, MatType.CV_8UC3, Scalar.All(0)))
        {
            var png = tiny.ImEncode(".png");
            WriteBigEndian(png, 16, 100_000);
            WriteBigEndian(png, 20, 100_000);
            WriteBigEndian(png, 29, Crc32(png.AsSpan(12, 17)));
            File.WriteAllBytes(path, png);
        }

        var run = CliRun.Of(Dir, path);

        Assert.AreEqual(1, run.ExitCode);
        StringAssert.Contains(run.Errors, $"{path}: not a decodable image");
        AssertNoStackTrace(run);
    }

    [TestMethod]
    public void UnusableModels_FailWithAMessageAndExitCode2()
    {
        var photo = Photos.TwoFaces(Path.Combine(Dir, "two.png"));
        var plain = Path.Combine(Dir, "plain.onnx");
        ContractModels.WriteConvNet(plain, editMetadata: m => m.Clear());
        var shape = Path.Combine(Dir, "shape.onnx");
        ContractModels.WriteConvNet(shape, size: 64, editMetadata: m => m[ModelMetadataKeys.InputSize] = "112");
        var junk = Path.Combine(Dir, "junk.onnx");
        File.WriteAllText(junk, "junk");

        foreach (var (model, message) in new[]
        {
            (plain, "is not a UlcAg export"),
            (shape, "input 'image' has shape [N, 64, 64, 3], but its metadata"),
            (junk, "cannot be loaded by ONNX Runtime"),
            (Path.Combine(Dir, "absent.onnx"), "does not exist"),
        })
        {
            var run = CliRun.Of(Dir, "--model", model, photo);
            Assert.AreEqual(2, run.ExitCode, model);
            StringAssert.Contains(run.Errors, "error:");
            StringAssert.Contains(run.Errors, message);
            Assert.AreEqual("", run.Output);
            AssertNoStackTrace(run);
        }
    }

    [TestMethod]
    public void WithoutAnyTrainedModel_SaysHowToTrainOne()
    {
        var photo = Photos.TwoFaces(Path.Combine(Dir, "two.png"));
        var run = CliRun.Of(Dir, photo);
        Assert.AreEqual(2, run.ExitCode);
        StringAssert.Contains(run.Errors, "No trained model found");
        StringAssert.Contains(run.Errors, "dotnet ulcag-train");
    }

    [TestMethod]
    [DataRow("--frobnicate", "unknown option '--frobnicate'")]
    [DataRow("--jsn", "unknown option '--jsn'; did you mean --json?")]
    [DataRow("--device", "--device needs a value")]
    [DataRow("--device gpu", "unknown device 'gpu'")]
    [DataRow("--batch 0", "--batch '0' is not a positive whole number")]
    [DataRow("--threads 0", "--threads '0' is not a whole number from 1 to 256")]
    [DataRow("--threads 100000", "--threads '100000' is not a whole number from 1 to 256")]
    [DataRow("--detector dlib", "--detector 'dlib' is unknown")]
    [DataRow("--detector yunet", "--detector yunet needs the model file")]
    [DataRow("--detector yunet:/nowhere/yunet.onnx", "/nowhere/yunet.onnx' does not exist")]
    [DataRow("--detector haar:/nowhere/cascade.xml", "/nowhere/cascade.xml' does not exist")]
    [DataRow("--detector blazeface:/nowhere/blazeface.onnx", "/nowhere/blazeface.onnx' does not exist")]
    [DataRow("--device cuda:0", "cannot use device cuda:0")]
    public void BadOptions_FailWithAMessageAndExitCode2(string options, string message)
    {
        TrainedModel();
        var photo = Photos.TwoFaces(Path.Combine(Dir, "two.png"));
        var run = CliRun.Of(Dir, [photo, .. options.Split(' ')]);
        Assert.AreEqual(2, run.ExitCode, run.Errors);
        StringAssert.Contains(run.Errors, message);
        AssertNoStackTrace(run);
    }

    [TestMethod]
    public void HelpAndNoArguments()
    {
        var help = CliRun.Of(Dir, "--help");
        Assert.AreEqual(0, help.ExitCode);
        StringAssert.Contains(help.Output, "Usage: dotnet ulcag-infer");
        StringAssert.Contains(help.Output, "--no-detect");

        var none = CliRun.Of(Dir);
        Assert.AreEqual(2, none.ExitCode);
        StringAssert.Contains(none.Errors, "No image given");
        StringAssert.Contains(none.Errors, "Run 'dotnet ulcag-infer --help' for usage.");

        var version = CliRun.Of(Dir, "--version");
        Assert.AreEqual(0, version.ExitCode);
        StringAssert.StartsWith(version.Output, "ulcag-infer ");
    }

    private string TrainedModel()
    {
        var path = Path.Combine(Dir, "artifacts", "runs", "demo", "model.onnx");
        ContractModels.WriteConvNet(path, size: 64);
        return path;
    }

    private static string BoxText(FaceResult face) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{face.Box!.Value.X:F0},{face.Box.Value.Y:F0} {face.Box.Value.Width:F0}x{face.Box.Value.Height:F0}");

    private static ImageResult Recognize(string model, string photo)
    {
        using var m = ExpressionModel.Load(model);
        using var detector = FaceDetectorSpec.Default.Create();
        return new ExpressionRecognizer(m, detector).Recognize(photo);
    }

    private static float[] FirstFace(CliRun run)
    {
        Assert.AreEqual(0, run.ExitCode, run.Errors);
        using var doc = JsonDocument.Parse(run.Output);
        return [.. doc.RootElement.GetProperty("images")[0].GetProperty("faces")[0].GetProperty("probabilities").EnumerateObject().Select(p => p.Value.GetSingle())];
    }

    private static void AssertCentre(JsonElement box, double x, double y, double tolerance = 25)
    {
        Assert.AreEqual(x, box.GetProperty("x").GetDouble() + (box.GetProperty("width").GetDouble() / 2), tolerance, "box centre x");
        Assert.AreEqual(y, box.GetProperty("y").GetDouble() + (box.GetProperty("height").GetDouble() / 2), tolerance, "box centre y");
    }

    private static void AssertNoStackTrace(CliRun run)
    {
        Assert.DoesNotContain("   at ", run.Errors);
        Assert.DoesNotContain("Exception", run.Errors);
    }

    private static int Distance(Vec3b a, Vec3b b) => Math.Abs(a.Item0 - b.Item0) + Math.Abs(a.Item1 - b.Item1) + Math.Abs(a.Item2 - b.Item2);

    private static void WriteBigEndian(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)(value >> 24);
        buffer[offset + 1] = (byte)(value >> 16);
        buffer[offset + 2] = (byte)(value >> 8);
        buffer[offset + 3] = (byte)value;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
