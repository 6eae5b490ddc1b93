using UlcAg.Graph;

namespace UlcAg.Network.Layers;

/// <summary>Per-channel normalization applied inside the graph to uint8 RGB input.</summary>
public sealed record Normalization(float[] Mean, float[] Std)
{
    /// <summary>torchvision's ImageNet statistics (RGB, on 0..1 pixel values).</summary>
    public static Normalization ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
}

/// <summary>Turns the uint8 NHWC RGB image batch into normalized float NCHW.</summary>
public static class ImageInput
{
    /// <summary>(x / 255 - mean) / std, computed as x * a + b with per-channel a, b.</summary>
    public static Value Normalize(GraphBuilder g, Value imagesNhwc, Normalization norm)
    {
        if (imagesNhwc.Rank != 4 || imagesNhwc.Shape[3] != 3) throw new ArgumentException($"expected uint8 images [N, H, W, 3], got {imagesNhwc}");
        var x = g.Transpose(g.Cast(imagesNhwc, DType.Float), 0, 3, 1, 2);
        var scale = norm.Std.Select(s => 1f / (255f * s)).ToArray();
        var shift = norm.Mean.Select((m, i) => -m / norm.Std[i]).ToArray();
        return x * g.Constant(TensorData.Of(scale, 1, 3, 1, 1)) + g.Constant(TensorData.Of(shift, 1, 3, 1, 1));
    }
}
