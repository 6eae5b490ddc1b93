using UlcAg.Network.Layers;
using UlcAg.Network.Models;
using UlcAg.Network.Weights;

namespace UlcAg.Network.Tests;

/// <summary>
/// Networks to export and images that test the export: the normalizations a run can have, weights
/// whose outputs neither saturate nor stay uniform, and images whose channel order matters.
/// Shared with the inference tests.
/// </summary>
internal static class ExportFixture
{
    /// <summary>The normalizations a run can have: torchvision's, the packaged ImageNet model's (BGR, mean per channel or per pixel), and one with every factor.</summary>
    public static Normalization Norm(string name, int size) => name switch
    {
        "imagenet" => Normalization.ImageNet,
        "bgr-mean" => new Normalization("BGR", 1f, [103.9f, 116.8f, 123.7f], [1f, 1f, 1f]),
        "bgr-mean-image" => new Normalization("BGR", 1f, [0, 0, 0], [1f, 1f, 1f], MeanImage(size, 1f)),
        "bgr-scaled-mean-image" => new Normalization("BGR", 0.5f, [0, 0, 0], [2f, 4f, 8f], MeanImage(size, 0.5f)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>
    /// Seeded weights of <paramref name="o"/>'s network with random running statistics, the stem's variance at the scale of its input (raw pixels
    /// give a stem output in the hundreds), so that the outputs neither saturate nor stay uniform.
    /// </summary>
    public static TensorMap Weights(NetworkOptions o, int seed)
    {
        var (weights, norm) = (Initializers.Default(UlcAgNetwork.WeightSpecs(o), seed), o.Normalization);
        var rng = new Random(1);
        // Pixels spread about 60 around the mean; a He-initialized convolution keeps about twice the input's variance.
        var stem = 2 * norm.Std.Average(s => Math.Pow(norm.Scale * 60 / s, 2));
        foreach (var (name, t) in weights)
        {
            var scale = name.StartsWith("bn1.", StringComparison.Ordinal) ? stem : 1;
            if (name.EndsWith("running_mean", StringComparison.Ordinal)) for (var i = 0; i < t.Data.Length; i++) t.Data[i] = (float)((rng.NextDouble() - 0.5) * Math.Sqrt(scale));
            if (name.EndsWith("running_var", StringComparison.Ordinal)) for (var i = 0; i < t.Data.Length; i++) t.Data[i] = (float)((0.5 + rng.NextDouble()) * scale);
        }
        return weights;
    }

    /// <summary>
    /// uint8 [n, size, size, 3] images whose three channels have different levels (rotating from
    /// image to image) plus noise: a swapped channel order changes what the network sees.
    /// </summary>
    public static byte[] ColouredImages(int n, int size)
    {
        var rng = new Random(12);
        var bytes = new byte[n * size * size * 3];
        for (var i = 0; i < bytes.Length; i++)
        {
            var (image, channel) = (i / (size * size * 3), i % 3);
            bytes[i] = (byte)(30 + (90 * ((image + channel) % 3)) + rng.Next(40));
        }
        return bytes;
    }

    /// <summary>A mean image [3, size, size] in 0-255 pixel units times <paramref name="scale"/>, different at every pixel.</summary>
    private static float[] MeanImage(int size, float scale) =>
        Enumerable.Range(0, 3 * size * size).Select(i => (float)(90 + (i % 7 * 5) + (i / (size * size) * 10)) * scale).ToArray();
}
