namespace UlcAg.Network.Weights.Onnx;

/// <summary>
/// What the pretrained backbone expects as input: an NCHW float image whose channels are in
/// <see cref="ChannelOrder"/>, holding raw 0-255 intensities (not divided by 255, not divided by
/// a standard deviation) minus <see cref="MeanImage"/> at every pixel.
/// </summary>
/// <param name="ChannelOrder">Channel order of the backbone input and of the mean image, e.g. <c>BGR</c>.</param>
/// <param name="SourceOrder">Channel order the preprocessing model reads, e.g. <c>RGB</c>; it permutes to <see cref="ChannelOrder"/>.</param>
/// <param name="MeanImage">Mean image [3, height, width] in <see cref="ChannelOrder"/>, in 0-255 units.</param>
public sealed record ImageInputConvention(string ChannelOrder, string SourceOrder, HostTensor MeanImage)
{
    /// <summary>Input height the mean image covers.</summary>
    public int Height => (int)MeanImage.Shape[1];

    /// <summary>Input width the mean image covers.</summary>
    public int Width => (int)MeanImage.Shape[2];

    /// <summary>Average of the mean image per channel, in <see cref="ChannelOrder"/>: the per-channel mean to subtract at other input sizes.</summary>
    public float[] ChannelMeans()
    {
        var plane = Height * Width;
        var means = new float[3];
        for (var c = 0; c < 3; c++)
        {
            double sum = 0;
            for (var i = 0; i < plane; i++)
            {
                sum += MeanImage.Data[(c * plane) + i];
            }

            means[c] = (float)(sum / plane);
        }

        return means;
    }

    /// <summary>
    /// Turns a planar image in <see cref="SourceOrder"/> with 0-255 values, [3, height, width],
    /// into the backbone input: channels permuted to <see cref="ChannelOrder"/> and the mean image subtracted.
    /// </summary>
    /// <exception cref="ArgumentException">The spans do not hold 3 x height x width values.</exception>
    public void Apply(ReadOnlySpan<float> sourceImage, Span<float> destination)
    {
        var plane = Height * Width;
        if (sourceImage.Length != 3 * plane || destination.Length != 3 * plane)
        {
            throw new ArgumentException($"Expected 3 x {Height} x {Width} values, got {sourceImage.Length} and {destination.Length}.");
        }

        for (var c = 0; c < 3; c++)
        {
            var from = SourceOrder.IndexOf(ChannelOrder[c], StringComparison.Ordinal);
            var source = sourceImage.Slice(from * plane, plane);
            var mean = MeanImage.Data.AsSpan(c * plane, plane);
            var target = destination.Slice(c * plane, plane);
            for (var i = 0; i < plane; i++)
            {
                target[i] = source[i] - mean[i];
            }
        }
    }

    /// <summary>A one-paragraph statement of the convention with the channel means, for logs and docs.</summary>
    public string Describe()
    {
        var means = ChannelMeans();
        return $"NCHW float32 [N, 3, {Height}, {Width}], channels {ChannelOrder}, raw 0-255 intensities (no /255, no /std) " +
            $"minus a per-pixel mean image [3, {Height}, {Width}] (channel averages {ChannelOrder[0]} {means[0]:F3}, " +
            $"{ChannelOrder[1]} {means[1]:F3}, {ChannelOrder[2]} {means[2]:F3}); the preprocessing model reads {SourceOrder} and reorders it.";
    }
}
