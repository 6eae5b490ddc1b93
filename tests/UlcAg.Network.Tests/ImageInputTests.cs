using UlcAg.Graph;
using UlcAg.Network.Layers;
using UlcAg.Network.Weights;
using UlcAg.Runtime;

namespace UlcAg.Network.Tests;

[TestClass]
public sealed class ImageInputTests
{
    private static float[] Run(Normalization norm, byte[] pixels, int n, int h, int w)
    {
        var g = new GraphBuilder();
        var images = g.Input("images", DType.UInt8, n, h, w, 3);
        g.Output(ImageInput.FromUInt8Nhwc(g, images, norm), "x");
        using var runner = new ModelRunner(g);
        return (float[])runner.Run(new Dictionary<string, (Array, long[])> { ["images"] = (pixels, [n, h, w, 3]) })["x"];
    }

    [TestMethod]
    public void NormalizesPerChannelIntoNchw()
    {
        var (n, h, w) = (2, 3, 4);
        var pixels = Enumerable.Range(0, n * h * w * 3).Select(i => (byte)(i * 37 % 256)).ToArray();
        var norm = Normalization.ImageNet;
        var x = Run(norm, pixels, n, h, w);
        for (var b = 0; b < n; b++)
            for (var c = 0; c < 3; c++)
                for (var i = 0; i < h * w; i++)
                {
                    var expected = (pixels[(b * h * w + i) * 3 + c] / 255.0 - norm.Mean[c]) / norm.Std[c];
                    Assert.AreEqual(expected, x[(b * 3 + c) * h * w + i], 1e-5, $"image {b}, channel {c}, pixel {i}");
                }
    }

    [TestMethod]
    public void BgrWithMeanImage()
    {
        var (n, h, w) = (2, 2, 3);
        var pixels = Enumerable.Range(0, n * h * w * 3).Select(i => (byte)(i * 53 % 256)).ToArray();
        var meanImage = Enumerable.Range(0, 3 * h * w).Select(i => (float)(i * 7 % 100)).ToArray();
        var norm = new Normalization("BGR", 1, [0, 0, 0], [2, 4, 8], meanImage);
        var x = Run(norm, pixels, n, h, w);
        for (var b = 0; b < n; b++)
            for (var c = 0; c < 3; c++)
                for (var i = 0; i < h * w; i++)
                {
                    // Channel c of the BGR input is RGB channel 2 - c.
                    var expected = (pixels[(b * h * w + i) * 3 + 2 - c] - meanImage[c * h * w + i]) / norm.Std[c];
                    Assert.AreEqual(expected, x[(b * 3 + c) * h * w + i], 1e-4, $"image {b}, channel {c}, pixel {i}");
                }
    }

    [TestMethod]
    [DataRow("RGB", false)]
    [DataRow("BGR", false)]
    [DataRow("BGR", true)]
    public void FoldedIntoTheFirstConvolutionGivesTheSameOutput(string order, bool meanImage)
    {
        // A stem-like convolution (7x7, stride 2, padding 3), so that the borders see the padding.
        var (n, size, outChannels) = (2, 9, 4);
        var pixels = Enumerable.Range(0, n * size * size * 3).Select(i => (byte)(i * 41 % 256)).ToArray();
        var image = meanImage ? Enumerable.Range(0, 3 * size * size).Select(i => (float)(i * 13 % 90) / 255).ToArray() : null;
        var norm = new Normalization(order, 1f / 255, [0.4f, 0.5f, 0.6f], [0.2f, 0.25f, 0.3f], image);
        var rng = new Random(3);
        var weight = new HostTensor([outChannels, 3, 7, 7], Enumerable.Range(0, outChannels * 3 * 49).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray());

        float[] Run(Func<GraphBuilder, Value, Value> input, HostTensor w)
        {
            var g = new GraphBuilder();
            var images = g.Input("images", DType.UInt8, n, size, size, 3);
            g.Output(g.Conv(input(g, images), g.Constant(TensorData.Of(w.Data, w.Shape)), null, stride: 2, pad: 3), "y");
            using var runner = new ModelRunner(g);
            return (float[])runner.Run(new Dictionary<string, (Array, long[])> { ["images"] = (pixels, [n, size, size, 3]) })["y"];
        }

        var expected = Run((g, x) => ImageInput.FromUInt8Nhwc(g, x, norm), weight);
        var folded = Run((g, x) => ImageInput.SubtractMean(g, ImageInput.ToFloatNchw(g, x), norm), ImageInput.FoldIntoConv(weight, norm));
        Assert.HasCount(n * outChannels * 5 * 5, folded);
        for (var i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], folded[i], 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"output {i}");
    }
}
