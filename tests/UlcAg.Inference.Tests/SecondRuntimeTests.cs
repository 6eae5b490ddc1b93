using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace UlcAg.Inference.Tests;

/// <summary>
/// The export runs in a second, independent runtime: OpenCV's DNN module (its own ONNX importer and
/// kernels, shipped with OpenCvSharp) gives the same probabilities and alpha as ONNX Runtime through
/// <see cref="ExpressionModel"/>, to 1e-4, on the same face crops, for both the float32 NCHW and the
/// uint8 NHWC export.
/// </summary>
[TestClass]
public sealed class SecondRuntimeTests
{
    private readonly TempDirectory _temp = new();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    [TestMethod]
    [DataRow(PixelType.Float32)]
    [DataRow(PixelType.UInt8)]
    public void ResNet18Export_OpenCvDnnMatchesOnnxRuntime(PixelType type)
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
            using var blob = type == PixelType.Float32
                ? CvDnn.BlobFromImages(crops, 1.0, new Size(size, size), default, swapRB: true, crop: false)
                : Nhwc(crops, size);
            var (probabilities, alpha) = RunOpenCv(type == PixelType.Float32 ? float32 : uint8, blob);

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

    /// <summary>The uint8 contract's input: a 4-D [N, H, W, 3] byte blob of RGB crops.</summary>
    private static Mat Nhwc(List<Mat> crops, int size)
    {
        var perImage = size * size * 3;
        var bytes = new byte[crops.Count * perImage];
        for (var i = 0; i < crops.Count; i++)
        {
            using var rgb = crops[i].CvtColor(ColorConversionCodes.BGR2RGB);
            System.Runtime.InteropServices.Marshal.Copy(rgb.Data, bytes, i * perImage, perImage);
        }

        var blob = new Mat([crops.Count, size, size, 3], MatType.CV_8UC1);
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, blob.Data, bytes.Length);
        return blob;
    }

    /// <summary>
    /// Runs the model on the blob and reads both outputs. For the float32 export the blob comes from
    /// blobFromImages: BGR to RGB (swapRB), no scaling or mean (the model normalizes), NCHW.
    /// </summary>
    private static (float[] Probabilities, float[] Alpha) RunOpenCv(string path, Mat blob)
    {
        using var net = CvDnn.ReadNetFromOnnx(path) ?? throw new AssertFailedException($"OpenCV could not read {path}");
        net.SetPreferableBackend(Backend.OPENCV);
        net.SetPreferableTarget(Target.CPU);
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
