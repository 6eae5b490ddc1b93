using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenCvSharp;
using UlcAg.Data.Faces;
using UlcAg.Data.Synthetic;
using UlcAg.Network.Models;
using UlcAg.Training.Config;
using UlcAg.Training.Trainer;

namespace UlcAg.Inference.Tests;

/// <summary>
/// What a real run exports, on the inference side: a one-epoch ULC-AG run on synthetic faces
/// (48 px, the packaged ImageNet backbone, as `dotnet ulcag-train` trains by default) writes
/// model.onnx and model.float32.onnx; both load in <see cref="ExpressionModel"/>, carry every
/// metadata key of docs/artifacts.md with its value, classify through `dotnet ulcag-infer`, and
/// give the same numbers in OpenCV's DNN module (Python) and in the Python ONNX Runtime example.
/// </summary>
[TestClass]
public sealed class TrainedExportTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>The run folder and its input size, four synthetic test faces as crop files, and two more at twice that size.</summary>
    private static readonly TempDirectory Temp = new();
    private const int Size = 48;
    private static string _run = null!;
    private static List<string> _crops = null!;
    private static List<string> _doubleCrops = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext context)
    {
        var options = new TrainOptions
        {
            Seed = 5,
            Output = Temp.Path,
            RunName = "run",
            Threads = 2,
            Data = new DataOptions
            {
                InputSize = Size,
                CacheDir = Path.Combine(Temp.Path, "cache"),
                ValFraction = 0,
                Synthetic = new SyntheticFaceOptions { Train = 64, Test = 32 },
            },
            Train = new TrainLoopOptions { Epochs = 1, BatchSize = 16, Workers = 1, EvalBatchSize = 32 },
        };
        using var log = new StringWriter();
        var code = new UlcAgTrainer().Run(options, log, CancellationToken.None);
        context.WriteLine(log.ToString());
        Assert.AreEqual(0, code, log.ToString());
        _run = Path.Combine(Temp.Path, "run");

        // Test faces of the same synthetic set, shrunk to the model's size as lossless crops.
        var generator = new SyntheticFaceGenerator(options.Data.Synthetic);
        _crops = [];
        for (var i = 0; i < 4; i++)
        {
            using var face = Cv2.ImDecode(generator.Generate(SynthSplit.Test, i).Jpeg, ImreadModes.Color);
            using var crop = face.Resize(new Size(Size, Size), interpolation: InterpolationFlags.Area);
            var path = Path.Combine(Temp.Path, $"face{i}.png");
            Cv2.ImWrite(path, crop);
            _crops.Add(path);
        }

        // Two more at twice the input size, which the Python example shrinks: a lossless PNG and a JPEG.
        _doubleCrops = [];
        foreach (var (i, extension) in new[] { (4, ".png"), (5, ".jpg") })
        {
            using var face = Cv2.ImDecode(generator.Generate(SynthSplit.Test, i).Jpeg, ImreadModes.Color);
            using var crop = face.Resize(new Size(2 * Size, 2 * Size), interpolation: InterpolationFlags.Area);
            var path = Path.Combine(Temp.Path, $"face{i}{extension}");
            Cv2.ImWrite(path, crop);
            _doubleCrops.Add(path);
        }
    }

    [ClassCleanup]
    public static void Cleanup() => Temp.Dispose();

    [TestMethod]
    [DataRow("model.onnx")]
    [DataRow("model.float32.onnx")]
    public void Export_HasEveryMetadataKeyWithItsValue(string file)
    {
        var path = Path.Combine(_run, file);
        var float32 = file == "model.float32.onnx";
        var meta = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        var expected = new Dictionary<string, string>
        {
            [ModelExport.KeyClasses] = """["Surprise","Fear","Disgust","Happiness","Sadness","Anger","Neutral"]""",
            [ModelExport.KeyInputSize] = "48",
            [ModelExport.KeyLayout] = float32 ? "NCHW" : "NHWC",
            [ModelExport.KeyInputType] = float32 ? "float32" : "uint8",
            [ModelExport.KeyChannelOrder] = "RGB",
            // The packaged ImageNet backbone's convention: BGR, raw 0-255, minus its mean image's channel averages (not 224 px).
            [ModelExport.KeyNormalization] =
                """{"channel_order":"BGR","scale":1,"mean":[103.06262,115.902885,123.151634],"std":[1,1,1],"mean_image":null,"applied":"inside the model"}""",
            [ModelExport.KeyFaceAlignment] = """{"mode":"auto","margin":0.2,"template_padding":0}""",
            [ModelExport.KeyProducer] = $"UlcAg {typeof(ModelExport).Assembly.GetName().Version!.ToString(3)}",
            [ModelExport.KeyMethod] = "ulcag",
        };
        CollectionAssert.AreEquivalent(expected.Keys.ToList(), meta.Keys.ToList(), "the metadata keys of docs/artifacts.md, no more");
        foreach (var (key, value) in expected)
        {
            Assert.AreEqual(value, meta[key], key);
        }

        // ExpressionModel reads the same contract from them.
        using var model = ExpressionModel.Load(path);
        var c = model.Contract;
        CollectionAssert.AreEqual(ContractModels.Expressions, c.Classes.ToArray());
        Assert.AreEqual(Size, c.InputSize);
        Assert.AreEqual(float32 ? TensorLayout.Nchw : TensorLayout.Nhwc, c.Layout);
        Assert.AreEqual(float32 ? PixelType.Float32 : PixelType.UInt8, c.PixelType);
        Assert.AreEqual(ChannelOrder.Rgb, c.ChannelOrder);
        Assert.AreEqual(new FaceAlignmentSpec(AlignMode.Auto, 0.2f, 0f), c.Alignment);
        Assert.AreEqual(expected[ModelExport.KeyNormalization], c.Normalization);
        Assert.AreEqual(expected[ModelExport.KeyProducer], c.Producer);
        Assert.IsTrue(c.HasAlpha);
        Assert.IsNull(c.FixedBatch, "any batch size");
    }

    [TestMethod]
    [DataRow("model.onnx")]
    [DataRow("model.float32.onnx")]
    public void Export_ClassifiesThroughUlcAgInfer(string file)
    {
        var path = Path.Combine(_run, file);
        using var model = ExpressionModel.Load(path);
        var expected = DeployExampleTests.Predict(model, _crops);

        var run = CliRun.Of(Temp.Path, ["--json", "--no-detect", "--model", path, .. _crops]);

        Assert.AreEqual(0, run.ExitCode, run.Errors);
        using var doc = JsonDocument.Parse(run.Output);
        var described = doc.RootElement.GetProperty("model");
        Assert.AreEqual(model.Contract.Producer, described.GetProperty("producer").GetString());
        CollectionAssert.AreEqual(ContractModels.Expressions, described.GetProperty("classes").EnumerateArray().Select(e => e.GetString()).ToArray());
        Assert.AreEqual(Size, described.GetProperty("input_size").GetInt32());
        Assert.AreEqual(file == "model.onnx" ? "NHWC" : "NCHW", described.GetProperty("input_layout").GetString());
        Assert.AreEqual(file == "model.onnx" ? "uint8" : "float32", described.GetProperty("input_type").GetString());
        var images = doc.RootElement.GetProperty("images").EnumerateArray().ToList();
        Assert.HasCount(_crops.Count, images);
        for (var i = 0; i < images.Count; i++)
        {
            var face = images[i].GetProperty("faces").EnumerateArray().Single();
            Assert.AreEqual(expected[i].Label, face.GetProperty("expression").GetString());
            var p = face.GetProperty("probabilities").EnumerateObject().Select(e => e.Value.GetSingle()).ToArray();
            for (var k = 0; k < p.Length; k++)
            {
                Assert.AreEqual(expected[i].Probabilities[k], p[k], 1e-6, $"crop {i}, class {k}");
            }

            Assert.AreEqual(expected[i].Alpha!.Value, face.GetProperty("alpha").GetSingle(), 1e-6, $"crop {i}, alpha");
        }
    }

    [TestMethod]
    [DataRow("model.onnx")]
    [DataRow("model.float32.onnx")]
    public void Export_InOpenCvDnn_MatchesOnnxRuntime(string file)
    {
        var worst = PythonOpenCvTests.CompareWithOnnxRuntime(Path.Combine(_run, file), _crops, TestContext);
        TestContext.WriteLine($"{file}: max |OpenCV - ONNX Runtime| = {worst:E2}");
    }

    /// <summary>
    /// The Python ONNX Runtime example (tools/deploy-check/classify.py) runs with real Pillow and numpy
    /// and a stand-in onnxruntime backed by OpenCV's DNN module (tools/deploy-check/ort_standin), and
    /// prints ONNX Runtime's class, alpha and probabilities for the same pixels, to its printed
    /// decimals plus OpenCV's 1e-4. Pillow leaves the crops at the input size as they are and halves
    /// the others with its BOX filter, which <see cref="HalveAsPillowBoxDoes"/> repeats exactly. (Not
    /// ExpressionModel's INTER_AREA: it rounds once where Pillow rounds twice, one level apart on a
    /// third of the pixels, which moved a probability of this run's model by up to 0.013 over 32 test faces.)
    /// </summary>
    [TestMethod]
    [DataRow("model.onnx")]
    [DataRow("model.float32.onnx")]
    public void Export_InThePythonOnnxRuntimeExample_PrintsOnnxRuntimesAnswers(string file)
    {
        var (python, versions) = DeployCheck.RequirePillowPython();
        TestContext.WriteLine($"{python}: {versions}");
        var path = Path.Combine(_run, file);
        List<string> crops = [.. _crops, .. _doubleCrops];
        using var model = ExpressionModel.Load(path);
        var classes = model.Contract.Classes;
        var pixels = crops.Select(c =>
        {
            using var read = Cv2.ImRead(c);
            return read.Rows == Size ? read.Clone() : HalveAsPillowBoxDoes(read);
        }).ToList();
        IReadOnlyList<ExpressionPrediction> expected;
        try
        {
            expected = model.Predict(pixels);
        }
        finally
        {
            pixels.ForEach(p => p.Dispose());
        }

        // The stand-in first on the module path; no __pycache__ left in tools/deploy-check.
        var environment = new Dictionary<string, string> { ["PYTHONPATH"] = DeployCheck.OnnxRuntimeStandIn, ["PYTHONDONTWRITEBYTECODE"] = "1" };
        var lines = DeployCheck.Run(python, [DeployCheck.OnnxRuntimeExample, path, .. crops], DeployCheck.Folder, "Skipped: python3 cannot be started.", environment);

        Assert.HasCount(crops.Count, lines);
        var worst = 0.0;
        for (var i = 0; i < crops.Count; i++)
        {
            var line = PrintedLine.Parse(lines[i]);
            var where = $"{file}, {Path.GetFileName(crops[i])}";
            Assert.AreEqual(crops[i], line.File, where);
            Assert.AreEqual(expected[i].Label, line.Label, where);
            Assert.AreEqual(string.Join(", ", classes), string.Join(", ", line.Probabilities.Select(p => p.Class)), where);

            // Printed to 3 and 2 decimals: half their last digit, plus OpenCV's 1e-4.
            for (var k = 0; k < classes.Count; k++)
            {
                var difference = Math.Abs(line.Probabilities[k].Value - expected[i].Probabilities[k]);
                Assert.IsLessThanOrEqualTo(0.0005 + 1e-4, difference, $"{where}, {classes[k]}: printed {line.Probabilities[k].Value:F3}, ONNX Runtime {expected[i].Probabilities[k]}");
                worst = Math.Max(worst, difference);
            }

            var alpha = Math.Abs(line.Alpha - expected[i].Alpha!.Value);
            Assert.IsLessThanOrEqualTo(0.005 + 1e-4, alpha, $"{where}, alpha: printed {line.Alpha:F2}, ONNX Runtime {expected[i].Alpha}");
        }

        TestContext.WriteLine($"{file}: max |printed probability - ONNX Runtime| = {worst:F5}");
    }

    /// <summary>
    /// Pillow's <c>resize((w / 2, h / 2), Image.Resampling.BOX)</c> of an 8-bit image: a horizontal pass,
    /// then a vertical one, each the mean of two pixels rounded half up (its fixed-point weights are exactly 1/2).
    /// </summary>
    private static Mat HalveAsPillowBoxDoes(Mat image)
    {
        Assert.IsTrue(image.IsContinuous() && image.Depth() == MatType.CV_8U, "an 8-bit image in one block");
        int width = image.Cols, height = image.Rows, channels = image.Channels();
        var source = new byte[height * width * channels];
        Marshal.Copy(image.Data, source, 0, source.Length);
        var half = new byte[(height / 2) * (width / 2) * channels];
        int Mean(int a, int b) => (a + b + 1) >> 1;
        int RowMean(int y, int x, int c) => Mean(source[((y * width) + x) * channels + c], source[((y * width) + x + 1) * channels + c]);
        for (var y = 0; y < height / 2; y++)
        {
            for (var x = 0; x < width / 2; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    half[(((y * (width / 2)) + x) * channels) + c] = (byte)Mean(RowMean(2 * y, 2 * x, c), RowMean((2 * y) + 1, 2 * x, c));
                }
            }
        }

        using var wrapped = Mat.FromPixelData(height / 2, width / 2, image.Type(), half);
        return wrapped.Clone();
    }

    [TestMethod]
    [DataRow("model.onnx")]
    [DataRow("model.float32.onnx")]
    public void Export_InOpenCvSharpDnn_MatchesOnnxRuntime(string file)
    {
        // OpenCvSharp's own, newer OpenCV (4.13): the blob as SecondRuntimeTests feeds it.
        var path = Path.Combine(_run, file);
        var crops = _crops.Select(c => Cv2.ImRead(c)).ToList();
        try
        {
            using var model = ExpressionModel.Load(path);
            var expected = model.Predict(crops);
            using var blob = file == "model.onnx"
                ? SecondRuntimeTests.Nhwc(crops, Size)
                : OpenCvSharp.Dnn.CvDnn.BlobFromImages(crops, 1.0, new Size(Size, Size), default, swapRB: true, crop: false);
            var (probabilities, alpha) = SecondRuntimeTests.RunOpenCv(path, blob);
            var classes = model.Contract.Classes.Count;
            for (var i = 0; i < crops.Count; i++)
            {
                for (var k = 0; k < classes; k++)
                {
                    Assert.AreEqual(expected[i].Probabilities[k], probabilities[(i * classes) + k], 1e-4, $"crop {i}, class {k}");
                }

                Assert.AreEqual(expected[i].Alpha!.Value, alpha[i], 1e-4, $"crop {i}, alpha");
            }
        }
        finally
        {
            crops.ForEach(c => c.Dispose());
        }
    }
}

/// <summary>
/// A line of the Python ONNX Runtime example: <c>{file}: {class} (alpha {a:.2f}) {name} {p:.3f}, ...</c>.
/// </summary>
internal sealed partial record PrintedLine(string File, string Label, double Alpha, IReadOnlyList<(string Class, double Value)> Probabilities)
{
    public static PrintedLine Parse(string line)
    {
        var match = LineFormat().Match(line);
        Assert.IsTrue(match.Success, $"not the example's output format: {line}");
        var probabilities = match.Groups["scores"].Value.Split(", ").Select(score =>
        {
            var m = ScoreFormat().Match(score);
            Assert.IsTrue(m.Success, $"not '{{class}} {{p:.3f}}': {score} in {line}");
            return (m.Groups["class"].Value, double.Parse(m.Groups["p"].Value, CultureInfo.InvariantCulture));
        }).ToList();
        return new PrintedLine(match.Groups["file"].Value, match.Groups["label"].Value, double.Parse(match.Groups["alpha"].Value, CultureInfo.InvariantCulture), probabilities);
    }

    [GeneratedRegex(@"^(?<file>.+): (?<label>\S+) \(alpha (?<alpha>\d\.\d\d)\) (?<scores>.+)$")]
    private static partial Regex LineFormat();

    [GeneratedRegex(@"^(?<class>\S+) (?<p>\d\.\d{3})$")]
    private static partial Regex ScoreFormat();
}
