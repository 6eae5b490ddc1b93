using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace UlcAg.Inference.Tests;

/// <summary>
/// The export runs in a second, independent runtime: OpenCV's DNN module (its own ONNX importer and
/// kernels, shipped with OpenCvSharp) gives the same probabilities and alpha as ONNX Runtime through
/// <see cref="ExpressionModel"/>, to 1e-4, on the same face crops.
/// </summary>
[TestClass]
public sealed class SecondRuntimeTests
{
    private readonly TempDirectory _temp = new();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    [TestMethod]
    public void ResNet18Float32Export_OpenCvDnnMatchesOnnxRuntime()
    {
        const int size = 64;
        var uint8 = Path.Combine(_temp.Path, "model.onnx");
        var float32 = Path.Combine(_temp.Path, "model.float32.onnx");
        ContractModels.WriteResNet18(uint8, size, PixelType.UInt8, seed: 3);
        ContractModels.WriteResNet18(float32, size, PixelType.Float32, seed: 3);
        var crops = Enumerable.Range(0, 4).Select(i => FaceTestImages.RandomBgr(size, size, seed: 40 + i)).ToList();
        try
        {
            using var model = ExpressionModel.Load(uint8);
            var reference = model.Predict(crops);
            var (probabilities, alpha) = RunOpenCv(float32, crops, size);

            var classes = ContractModels.Expressions.Length;
            var spread = 0f;
            for (var i = 0; i < crops.Count; i++)
            {
                for (var k = 0; k < classes; k++)
                {
                    Assert.AreEqual(reference[i].Probabilities[k], probabilities[(i * classes) + k], 1e-4, $"face {i} class {k}");
                }

                Assert.AreEqual(reference[i].Alpha!.Value, alpha[i], 1e-4, $"face {i} alpha");
                spread = Math.Max(spread, reference[i].Probabilities.Max() - reference[i].Probabilities.Min());
            }

            // Not a trivially uniform output: the comparison can fail.
            Assert.IsGreaterThan(0.01f, spread);
        }
        finally
        {
            crops.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Feeds the crops as the float32 contract says (NCHW, RGB, 0-255) and reads both outputs.</summary>
    private static (float[] Probabilities, float[] Alpha) RunOpenCv(string path, IReadOnlyList<Mat> crops, int size)
    {
        using var net = CvDnn.ReadNetFromOnnx(path) ?? throw new AssertFailedException($"OpenCV could not read {path}");
        net.SetPreferableBackend(Backend.OPENCV);
        net.SetPreferableTarget(Target.CPU);
        // blobFromImages: BGR to RGB (swapRB), no scaling or mean (the model normalizes), NCHW float.
        using var blob = CvDnn.BlobFromImages(crops, 1.0, new Size(size, size), default, swapRB: true, crop: false);
        net.SetInput(blob, "image");
        var names = new[] { "probabilities", "alpha" };
        var outputs = names.Select(_ => new Mat()).ToArray();
        try
        {
            net.Forward(outputs, names);
            outputs[0].GetArray(out float[] probabilities);
            var alpha = new float[outputs[1].Total()];
            System.Runtime.InteropServices.Marshal.Copy(outputs[1].Data, alpha, 0, alpha.Length);
            return (probabilities, alpha);
        }
        finally
        {
            foreach (var o in outputs)
            {
                o.Dispose();
            }
        }
    }
}
