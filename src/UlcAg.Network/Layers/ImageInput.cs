using System.Text.Json;
using UlcAg.Graph;
using UlcAg.Network.Weights;

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

/// <summary>
/// Turns the uint8 NHWC RGB image batch into the backbone's normalized float NCHW input: in the
/// train and eval graphs as its own passes (<see cref="FromUInt8Nhwc"/>), in the inference export
/// folded into the first convolution (<see cref="FoldIntoConv"/> and <see cref="SubtractMean"/>).
/// </summary>
public static class ImageInput
{
    /// <summary>Same as <see cref="FromUInt8Nhwc"/>.</summary>
    public static Value Normalize(GraphBuilder g, Value imagesNhwc, Normalization norm) => FromUInt8Nhwc(g, imagesNhwc, norm);

    /// <summary>From uint8 [N, H, W, 3] RGB.</summary>
    public static Value FromUInt8Nhwc(GraphBuilder g, Value imagesNhwc, Normalization norm) => FromFloatNchw(g, ToFloatNchw(g, imagesNhwc), norm);

    /// <summary>uint8 [N, H, W, 3] to float [N, 3, H, W] with the same 0-255 values.</summary>
    public static Value ToFloatNchw(GraphBuilder g, Value imagesNhwc)
    {
        if (imagesNhwc.Rank != 4 || imagesNhwc.Shape[3] != 3 || imagesNhwc.Type != DType.UInt8)
            throw new ArgumentException($"expected uint8 images [N, H, W, 3], got {imagesNhwc}");
        return g.Transpose(g.Cast(imagesNhwc, DType.Float), 0, 3, 1, 2);
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
        var a = Factors(norm);
        var b = norm.MeanImage is null ? norm.Mean.Select((m, i) => -m / norm.Std[i]).ToArray() : new float[3];
        var affine = g.ChannelAffine(x, g.Constant(TensorData.Of(a, 3)), g.Constant(TensorData.Of(b, 3)));
        if (norm.MeanImage is null) return affine;
        var (h, w) = CheckMeanImage(norm, x);
        var m = norm.MeanImage.Select((v, i) => v / norm.Std[i / (int)(h * w)]).ToArray();
        return affine - g.Constant(TensorData.Of(m, 1, 3, h, w));
    }

    /// <summary>
    /// The first convolution's weight [O, 3, k, k] (input channels in the backbone's
    /// <see cref="Normalization.ChannelOrder"/>) with the channel reorder and the factor scale / std
    /// folded in: input channels in RGB order, each scaled. Normalizing is a per-channel
    /// y_c = a_c (x_src(c) - o_c) with a_c = scale / std_c and o_c = mean_c / scale (or the mean
    /// image over scale); a convolution is linear in its input channels and zero padding of y is
    /// zero padding of x - o, so conv(y, W) = conv(x - o, W') exactly, with W'[:, src(c)] = a_c W[:, c].
    /// The offset o stays a pass of its own (<see cref="SubtractMean"/>): folded into a bias, the
    /// padding at the borders would stand for raw pixel 0 instead of the mean.
    /// </summary>
    public static HostTensor FoldIntoConv(HostTensor weight, Normalization norm)
    {
        if (weight.Shape.Length != 4 || weight.Shape[1] != 3)
            throw new ArgumentException($"expected a convolution weight [O, 3, k, k], got {HostTensor.FormatShape(weight.Shape)}");
        var (source, a) = (SourceChannels(norm), Factors(norm));
        var (outChannels, taps) = ((int)weight.Shape[0], (int)(weight.Shape[2] * weight.Shape[3]));
        var folded = new float[weight.Data.Length];
        for (var o = 0; o < outChannels; o++)
            for (var c = 0; c < 3; c++)
                for (var t = 0; t < taps; t++)
                    folded[(((o * 3) + source[c]) * taps) + t] = weight.Data[(((o * 3) + c) * taps) + t] * a[c];
        return new HostTensor(weight.Shape, folded, weight.Kind);
    }

    /// <summary>
    /// What remains of the normalization once <see cref="FoldIntoConv"/> took the channel order and
    /// the factors: x - o on float [N, 3, H, W] RGB 0-255, with o the mean in raw pixel units (per
    /// channel as one per-channel affine pass, or the per-pixel mean image as one subtraction).
    /// </summary>
    public static Value SubtractMean(GraphBuilder g, Value rgb, Normalization norm)
    {
        var source = SourceChannels(norm);
        if (norm.MeanImage is null)
        {
            var shift = new float[3];
            for (var c = 0; c < 3; c++) shift[source[c]] = -norm.Mean[c] / norm.Scale;
            return g.ChannelAffine(rgb, g.Constant(TensorData.Of([1f, 1f, 1f], 3)), g.Constant(TensorData.Of(shift, 3)));
        }
        var (h, w) = CheckMeanImage(norm, rgb);
        var plane = (int)(h * w);
        var image = new float[3 * plane];
        for (var c = 0; c < 3; c++)
            for (var p = 0; p < plane; p++) image[(source[c] * plane) + p] = norm.MeanImage[(c * plane) + p] / norm.Scale;
        // [3, H, W], not [1, 3, H, W]: OpenCV 4.6 takes a constant of the input's rank for a
        // same-shape operand and then refuses batches of more than one.
        return rgb - g.Constant(TensorData.Of(image, 3, h, w));
    }

    /// <summary>a_c = scale / std_c, the factor of backbone channel c.</summary>
    private static float[] Factors(Normalization norm)
    {
        if (norm.Scale == 0 || norm.Std.Any(s => s == 0)) throw new ArgumentException("the normalization's scale and standard deviations must not be 0");
        return norm.Std.Select(s => norm.Scale / s).ToArray();
    }

    /// <summary>src(c): the RGB input channel that backbone channel c reads.</summary>
    private static int[] SourceChannels(Normalization norm) => norm.ChannelOrder switch
    {
        "RGB" => [0, 1, 2],
        "BGR" => [2, 1, 0],
        _ => throw new ArgumentException($"unknown channel order '{norm.ChannelOrder}'"),
    };

    private static (long H, long W) CheckMeanImage(Normalization norm, Value x)
    {
        var (h, w) = (x.Shape[2], x.Shape[3]);
        if (norm.MeanImage!.Length != 3 * h * w) throw new ArgumentException($"the mean image does not match the input size {h}x{w}");
        return (h, w);
    }
}
