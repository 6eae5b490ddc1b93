using System.Text.Json;
using MyApp;
using OpenCvSharp;

namespace UlcAg.Inference.Tests;

/// <summary>
/// The examples of docs/deploy.md run, and agree with <see cref="ExpressionModel"/>: the C# one is
/// compiled here (and must equal the document's text); the JavaScript one runs in Node.js with
/// onnxruntime-node when tools/deploy-check has its packages (npm ci --prefix tools/deploy-check --ignore-scripts);
/// the Python OpenCV one runs in <see cref="PythonOpenCvTests"/> and <see cref="TrainedExportTests"/>, and
/// the Python ONNX Runtime one in <see cref="TrainedExportTests"/> (on a stand-in onnxruntime). The
/// examples in tools/deploy-check must equal the document's text.
/// </summary>
[TestClass]
public sealed class DeployExampleTests
{
    private readonly TempDirectory _temp = new();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    [TestMethod]
    public void CSharpExample_IsTheDocumentsTextVerbatim()
    {
        var doc = File.ReadAllText(Path.Combine(DeployCheck.RepoRoot(), "docs", "deploy.md"));
        var code = File.ReadAllText(Path.Combine(DeployCheck.RepoRoot(), "tests", "UlcAg.Inference.Tests", "DeployExample.cs"));
        var body = code[(code.IndexOf("using System.", StringComparison.Ordinal))..].ReplaceLineEndings("\n");
        StringAssert.Contains(doc.ReplaceLineEndings("\n"), "```csharp\n" + body + "```");
    }

    [TestMethod]
    [DataRow("classify.mjs", "js")]
    [DataRow("classify_opencv.py", "python")]
    [DataRow("classify.py", "python")]
    public void DeployCheckExample_IsTheDocumentsText(string file, string language)
    {
        var doc = File.ReadAllText(Path.Combine(DeployCheck.RepoRoot(), "docs", "deploy.md")).ReplaceLineEndings("\n");
        var code = File.ReadAllText(Path.Combine(DeployCheck.Folder, file)).ReplaceLineEndings("\n");
        StringAssert.Contains(doc, $"```{language}\n{code}```");
    }

    [TestMethod]
    [DataRow(PixelType.UInt8)]
    [DataRow(PixelType.Float32)]
    public void CSharpExample_GivesExpressionModelsAnswers(PixelType type)
    {
        var (model, crops) = Fixture(type);
        using var reference = ExpressionModel.Load(model);
        using var example = new ExpressionOnnx(model);
        CollectionAssert.AreEqual(ContractModels.Expressions, example.Classes);

        var (probabilities, alpha) = example.Classify([.. crops.SelectMany(example.LoadCrop)]);

        var expected = Predict(reference, crops);
        for (var i = 0; i < crops.Count; i++)
        {
            CollectionAssert.AreEqual(expected[i].Probabilities, probabilities[i]);
            Assert.AreEqual(expected[i].Alpha, alpha[i]);
        }
    }

    [TestMethod]
    [DataRow(PixelType.UInt8)]
    [DataRow(PixelType.Float32)]
    public void JavaScriptExample_InNodeWithOnnxRuntimeNode_GivesTheSameProbabilities(PixelType type)
    {
        var check = DeployCheck.Folder;
        if (!Directory.Exists(Path.Combine(check, "node_modules", "onnxruntime-node")) || !Directory.Exists(Path.Combine(check, "node_modules", "sharp")))
        {
            Assert.Inconclusive("Skipped: tools/deploy-check has no node_modules; install them with `npm ci --prefix tools/deploy-check --ignore-scripts` (needs Node.js 20 and npm).");
        }

        var (model, crops) = Fixture(type);
        using var reference = ExpressionModel.Load(model);
        var expected = Predict(reference, crops);

        var lines = DeployCheck.Run("node", [Path.Combine(check, "classify.mjs"), model, .. crops], check, "Skipped: Node.js (node) is not on the PATH.");

        Assert.HasCount(crops.Count, lines);
        for (var i = 0; i < crops.Count; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var root = json.RootElement;
            Assert.AreEqual(expected[i].Label, root.GetProperty("expression").GetString());
            var p = root.GetProperty("probabilities").EnumerateObject().ToList();
            CollectionAssert.AreEqual(ContractModels.Expressions, p.Select(e => e.Name).ToArray());
            for (var k = 0; k < p.Count; k++)
            {
                Assert.AreEqual(expected[i].Probabilities[k], p[k].Value.GetDouble(), 1e-4);
            }

            Assert.AreEqual(expected[i].Alpha!.Value, root.GetProperty("alpha").GetDouble(), 1e-4);
        }
    }

    /// <summary>A ResNet-18 export and three crops already at its input size, written losslessly.</summary>
    private (string Model, List<string> Crops) Fixture(PixelType type)
    {
        const int size = 48;
        var model = Path.Combine(_temp.Path, type == PixelType.UInt8 ? "model.onnx" : "model.float32.onnx");
        ContractModels.WriteResNet18(model, size, type, seed: 9);
        var crops = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var path = Path.Combine(_temp.Path, $"crop{i}.png");
            using var crop = FaceTestImages.RandomBgr(size, size, seed: 70 + i);
            Cv2.ImWrite(path, crop);
            crops.Add(path);
        }

        return (model, crops);
    }

    /// <summary>The model's predictions for crop files, read as OpenCV reads them (BGR).</summary>
    internal static IReadOnlyList<ExpressionPrediction> Predict(ExpressionModel model, IEnumerable<string> crops)
    {
        var mats = crops.Select(c => Cv2.ImRead(c)).ToList();
        try
        {
            return model.Predict(mats);
        }
        finally
        {
            mats.ForEach(m => m.Dispose());
        }
    }
}
