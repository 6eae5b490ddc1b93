using UlcAg.Graph;
using UlcAg.Network.Layers;
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
}
