using System.Text.Json;
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
/// give the same numbers in OpenCV's DNN module (Python).
/// </summary>
[TestClass]
public sealed class TrainedExportTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>The run folder and its input size, and four synthetic test faces as crop files.</summary>
    private static readonly TempDirectory Temp = new();
    private const int Size = 48;
    private static string _run = null!;
    private static List<string> _crops = null!;

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
