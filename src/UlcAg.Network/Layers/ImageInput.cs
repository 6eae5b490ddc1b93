using System.Text.Json;
using UlcAg.Graph;

namespace UlcAg.Network.Layers;

/// <summary>
/// How pixels become the backbone's input, applied inside the graph: reorder channels to
/// <see cref="ChannelOrder"/>, multiply by <see cref="Scale"/>, subtract the mean (per channel,
/// or a per-pixel <see cref="MeanImage"/>), divide by the standard deviation.
/// </summary>
/// <param name="ChannelOrder">"RGB" or "BGR": the order the backbone expects.</param>
/// <param name="Scale">Factor applied to 0-255 pixels first (1/255 for torchvision, 1 for the packaged CNTK model).</param>
/// <param name="Mean">Per-channel mean in <see cref="ChannelOrder"/>, after scaling.</param>
/// <param name="Std">Per-channel standard deviation in <see cref="ChannelOrder"/>, after scaling.</param>
/// <param name="MeanImage">Optional per-pixel mean [3, H, W] replacing <see cref="Mean"/> (exact only at its own size).</param>
public sealed record Normalization(string ChannelOrder, float Scale, float[] Mean, float[] Std, float[]? MeanImage = null)
{
    /// <summary>torchvision's ImageNet statistics (RGB, pixels / 255).</summary>
    public static Normalization ImageNet { get; } = new("RGB", 1f / 255, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>A JSON description for model metadata.</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        channel_order = ChannelOrder,
        scale = Scale,
        mean = Mean,
        std = Std,
        mean_image = MeanImage is null ? null : "per-pixel [3, H, W] (embedded in the model)",
        applied = "inside the model",
    });
}

/// <summary>Turns the uint8 NHWC RGB image batch into the backbone's normalized float NCHW input.</summary>
public static class ImageInput
{
    /// <summary>Same as <see cref="FromUInt8Nhwc"/>.</summary>
    public static Value Normalize(GraphBuilder g, Value imagesNhwc, Normalization norm) => FromUInt8Nhwc(g, imagesNhwc, norm);

    /// <summary>From uint8 [N, H, W, 3] RGB.</summary>
    public static Value FromUInt8Nhwc(GraphBuilder g, Value imagesNhwc, Normalization norm)
    {
        if (imagesNhwc.Rank != 4 || imagesNhwc.Shape[3] != 3 || imagesNhwc.Type != DType.UInt8)
            throw new ArgumentException($"expected uint8 images [N, H, W, 3], got {imagesNhwc}");
        return FromFloatNchw(g, g.Transpose(g.Cast(imagesNhwc, DType.Float), 0, 3, 1, 2), norm);
    }

    /// <summary>From float [N, 3, H, W] RGB with 0-255 values.</summary>
    public static Value FromFloatNchw(GraphBuilder g, Value x, Normalization norm)
    {
        if (norm.ChannelOrder == "BGR") x = g.Slice(x, [2], [long.MinValue], [1], [-1]);
        else if (norm.ChannelOrder != "RGB") throw new ArgumentException($"unknown channel order '{norm.ChannelOrder}'");
        // (x * scale - mean) / std == x * (scale / std) - mean / std, as one per-channel affine
        // pass (GraphBuilder.ChannelAffine): a Mul with a [1, 3, 1, 1] constant is what ONNX
        // Runtime's transpose optimizer moves before the NHWC-to-NCHW transpose, where
        // broadcasting over 3 channels costs 15x more.
        var a = norm.Std.Select(s => norm.Scale / s).ToArray();
        var b = norm.MeanImage is null ? norm.Mean.Select((m, i) => -m / norm.Std[i]).ToArray() : new float[3];
        var affine = g.ChannelAffine(x, g.Constant(TensorData.Of(a, 3)), g.Constant(TensorData.Of(b, 3)));
        if (norm.MeanImage is null) return affine;
        var (h, w) = (x.Shape[2], x.Shape[3]);
        if (norm.MeanImage.Length != 3 * h * w) throw new ArgumentException($"the mean image does not match the input size {h}x{w}");
        var m = norm.MeanImage.Select((v, i) => v / norm.Std[i / (int)(h * w)]).ToArray();
        return affine - g.Constant(TensorData.Of(m, 1, 3, h, w));
    }
}
