using System.Text.Json;
using OpenCvSharp;
using UlcAg.Graph;
using UlcAg.Network.Models;
using UlcAg.Network.Tests;

namespace UlcAg.Inference.Tests;

/// <summary>
/// The exports (<see cref="ModelExport"/>, as training writes them) load in OpenCV's own DNN module
/// through Python, as Debian 12's python3-opencv (OpenCV 4.6) has it, and give ONNX Runtime's
/// probabilities and alpha to 1e-4: model.onnx (uint8 NHWC) and model.float32.onnx (float32
/// NCHW), run by the OpenCV example of docs/deploy.md (tools/deploy-check/classify_opencv.py).
/// Inconclusive only when there is no Python 3 with cv2.
/// </summary>
[TestClass]
public sealed class PythonOpenCvTests
{
    private readonly TempDirectory _temp = new();

    public TestContext TestContext { get; set; } = null!;

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    [TestMethod]
    [DataRow("bgr-mean", Method.UlcAg)]
    [DataRow("bgr-mean-image", Method.UlcAg)]
    [DataRow("imagenet", Method.UlcAg)]
    [DataRow("bgr-mean", Method.Baseline)]
    public void BothExports_InOpenCvDnn_MatchOnnxRuntime(string normalization, Method method)
    {
        const int size = 48;
        var o = new NetworkOptions
        {
            Method = method, Classes = ContractModels.Expressions.Length, InputSize = size, Width = 16, Normalization = ExportFixture.Norm(normalization, size),
        };
        var weights = ExportFixture.Weights(o, seed: 4);
        var crops = WriteCrops(_temp.Path, ExportFixture.ColouredImages(4, size), size);
        var worst = 0.0;
        foreach (var float32 in new[] { false, true })
        {
            var path = Path.Combine(_temp.Path, float32 ? "model.float32.onnx" : "model.onnx");
            ModelExport.Build(o, weights, new ExportSettings(ContractModels.Expressions, Float32Input: float32)).Save(path);
            worst = Math.Max(worst, CompareWithOnnxRuntime(path, crops, TestContext));
        }

        TestContext.WriteLine($"{normalization}, {method}: max |OpenCV - ONNX Runtime| = {worst:E2}");
    }

    /// <summary>
    /// Runs the OpenCV example on <paramref name="model"/> and checks every probability and alpha
    /// against <see cref="ExpressionModel"/> (ONNX Runtime) to 1e-4.
    /// </summary>
    /// <returns>The largest difference.</returns>
    internal static double CompareWithOnnxRuntime(string model, IReadOnlyList<string> crops, TestContext context)
    {
        var (python, version) = DeployCheck.RequireOpenCvPython();
        context.WriteLine($"{python}: OpenCV {version}");
        using var reference = ExpressionModel.Load(model);
        var expected = DeployExampleTests.Predict(reference, crops);

        var lines = DeployCheck.Run(python, [DeployCheck.OpenCvExample, model, .. crops], DeployCheck.Folder, "Skipped: python3 cannot be started.");
        Assert.HasCount(crops.Count, lines);
        var worst = 0.0;
        for (var i = 0; i < crops.Count; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var root = json.RootElement;
            Assert.AreEqual(crops[i], root.GetProperty("file").GetString());
            Assert.AreEqual(expected[i].Label, root.GetProperty("expression").GetString(), $"{model}, crop {i}");
            var p = root.GetProperty("probabilities").EnumerateObject().ToList();
            CollectionAssert.AreEqual(reference.Contract.Classes.ToArray(), p.Select(e => e.Name).ToArray());
            for (var k = 0; k < p.Count; k++)
            {
                var difference = Math.Abs(expected[i].Probabilities[k] - p[k].Value.GetDouble());
                Assert.IsLessThanOrEqualTo(1e-4, difference, $"{model}, crop {i}, class {k}");
                worst = Math.Max(worst, difference);
            }

            var alpha = Math.Abs(expected[i].Alpha!.Value - root.GetProperty("alpha").GetDouble());
            Assert.IsLessThanOrEqualTo(1e-4, alpha, $"{model}, crop {i}, alpha");
            worst = Math.Max(worst, alpha);
        }

        // Outputs that tell the crops apart: the comparison can fail.
        Assert.IsGreaterThan(1e-3, expected.Max(e => e.Probabilities.Max()) - expected.Min(e => e.Probabilities.Max()), $"{model}: the crops give the same output");
        return worst;
    }

    /// <summary>Writes uint8 [N, size, size, 3] RGB images as lossless PNG crops.</summary>
    internal static List<string> WriteCrops(string folder, byte[] rgb, int size)
    {
        var perImage = size * size * 3;
        var crops = new List<string>();
        for (var i = 0; i < rgb.Length / perImage; i++)
        {
            using var image = Mat.FromPixelData(size, size, MatType.CV_8UC3, rgb[(i * perImage)..((i + 1) * perImage)]);
            using var bgr = image.CvtColor(ColorConversionCodes.RGB2BGR);
            var path = Path.Combine(folder, $"crop{i}.png");
            Cv2.ImWrite(path, bgr);
            crops.Add(path);
        }

        return crops;
    }
}
