using OpenCvSharp;
using UlcAg.Graph;

namespace UlcAg.Inference.Tests;

[TestClass]
public sealed class ExpressionModelTests
{
    private readonly TempDirectory _temp = new();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    [TestMethod]
    [DataRow(PixelType.UInt8)]
    [DataRow(PixelType.Float32)]
    public void Predict_OneColourCrops_FeedsRgbInTheContractLayout(PixelType type)
    {
        var path = Path.Combine(_temp.Path, "means.onnx");
        ContractModels.WriteChannelMeans(path, size: 32, type: type);
        using var model = ExpressionModel.Load(path);
        Assert.AreEqual(type, model.Contract.PixelType);
        Assert.AreEqual(type == PixelType.UInt8 ? TensorLayout.Nhwc : TensorLayout.Nchw, model.Contract.Layout);

        // BGR crops of pure red, green and blue; the red one larger than the input size, so it is resized.
        using var red = new Mat(50, 40, MatType.CV_8UC3, new Scalar(0, 0, 255));
        using var green = new Mat(32, 32, MatType.CV_8UC3, new Scalar(0, 255, 0));
        using var blue = new Mat(32, 32, MatType.CV_8UC3, new Scalar(255, 0, 0));
        var predictions = model.Predict([red, green, blue]);

        CollectionAssert.AreEqual(new[] { "Red", "Green", "Blue" }, predictions.Select(p => p.Label).ToArray());
        // The exact values: softmax(2 x ((v / 255 - mean) / std)) per channel.
        var expected = Softmax([.. Enumerable.Range(0, 3).Select(c => 2 * (((c == 0 ? 1f : 0f) - ContractModels.Mean[c]) / ContractModels.Std[c]))]);
        for (var c = 0; c < 3; c++)
        {
            Assert.AreEqual(expected[c], predictions[0].Probabilities[c], 1e-5);
        }

        Assert.AreEqual(predictions[0].Probabilities[0], predictions[0].Confidence);
        Assert.IsNotNull(predictions[0].Alpha);
        var means = Enumerable.Range(0, 3).Select(c => ((c == 0 ? 1f : 0f) - ContractModels.Mean[c]) / ContractModels.Std[c]).Average();
        Assert.AreEqual(1 / (1 + Math.Exp(-means)), predictions[0].Alpha!.Value, 1e-5);
    }

    [TestMethod]
    public void Predict_MoreCropsThanABatch_RunsChunksAndKeepsOrder()
    {
        var path = Path.Combine(_temp.Path, "means.onnx");
        ContractModels.WriteChannelMeans(path, size: 16);
        using var model = ExpressionModel.Load(path, maxBatch: 4);
        var colours = new[] { new Scalar(0, 0, 255), new Scalar(0, 255, 0), new Scalar(255, 0, 0) };
        var crops = Enumerable.Range(0, 11).Select(i => new Mat(16, 16, MatType.CV_8UC3, colours[i % 3])).ToList();
        try
        {
            var labels = model.Predict(crops).Select(p => p.Label).ToArray();
            CollectionAssert.AreEqual(Enumerable.Range(0, 11).Select(i => new[] { "Red", "Green", "Blue" }[i % 3]).ToArray(), labels);
        }
        finally
        {
            crops.ForEach(c => c.Dispose());
        }
    }

    [TestMethod]
    public void Predict_FixedBatchModel_PadsTheLastRun()
    {
        var path = Path.Combine(_temp.Path, "fixed.onnx");
        ContractModels.WriteConvNet(path, size: 32, batch: 2);
        using var model = ExpressionModel.Load(path);
        Assert.AreEqual(2, model.Contract.FixedBatch);
        Assert.AreEqual(2, model.MaxBatch);
        using var a = FaceTestImages.RandomBgr(32, 32, seed: 1);
        using var b = FaceTestImages.RandomBgr(32, 32, seed: 2);
        using var c = FaceTestImages.RandomBgr(32, 32, seed: 3);
        var three = model.Predict([a, b, c]);
        var alone = model.Predict([c]);
        Assert.HasCount(3, three);
        CollectionAssert.AreEqual(alone[0].Probabilities, three[2].Probabilities);
    }

    [TestMethod]
    public void Uint8AndFloat32Exports_GiveTheSameProbabilities()
    {
        var u8 = Path.Combine(_temp.Path, "model.onnx");
        var f32 = Path.Combine(_temp.Path, "model.float32.onnx");
        ContractModels.WriteConvNet(u8, size: 48, type: PixelType.UInt8, seed: 5);
        ContractModels.WriteConvNet(f32, size: 48, type: PixelType.Float32, seed: 5);
        using var a = ExpressionModel.Load(u8);
        using var b = ExpressionModel.Load(f32);
        var crops = Enumerable.Range(0, 5).Select(i => FaceTestImages.RandomBgr(48, 48, seed: 10 + i)).ToList();
        try
        {
            var pa = a.Predict(crops);
            var pb = b.Predict(crops);
            for (var i = 0; i < crops.Count; i++)
            {
                for (var k = 0; k < ContractModels.Expressions.Length; k++)
                {
                    Assert.AreEqual(pa[i].Probabilities[k], pb[i].Probabilities[k], 1e-5);
                }

                Assert.AreEqual(pa[i].Alpha!.Value, pb[i].Alpha!.Value, 1e-5);
                Assert.AreEqual(1f, pa[i].Probabilities.Sum(), 1e-5);
            }

            // Different crops get different answers: the model is not constant.
            Assert.AreNotEqual(pa[0].Probabilities[0], pa[1].Probabilities[0]);
        }
        finally
        {
            crops.ForEach(c => c.Dispose());
        }
    }

    private static float[] Softmax(float[] x)
    {
        var max = x.Max();
        var e = x.Select(v => MathF.Exp(v - max)).ToArray();
        var sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }
}
