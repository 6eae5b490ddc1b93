namespace UlcAg.Data.Loading;

/// <summary>
/// One batch of images: <see cref="Indices"/>[i] is the index in the dataset split of the sample
/// whose H x W x 3 uint8 RGB pixels (NHWC) are image i of <see cref="Images"/>.
/// </summary>
/// <remarks>
/// The training loader reuses batch objects and their arrays when
/// <see cref="TrainLoaderOptions.ReuseBuffers"/> is on (the default): a batch is then valid until
/// the enumerator moves to the next batch; copy what must outlive that. Eval batches are never reused.
/// </remarks>
public sealed class LoaderBatch
{
    internal LoaderBatch(int batchSize, int height, int width)
    {
        Indices = new int[batchSize];
        Images = new byte[(long)batchSize * height * width * Channels];
        Height = height;
        Width = width;
    }

    /// <summary>Channels per pixel (R, G, B).</summary>
    public const int Channels = 3;

    /// <summary>Epoch the batch belongs to (0 for eval batches).</summary>
    public int Epoch { get; internal set; }

    /// <summary>Position of the batch within its epoch.</summary>
    public int BatchIndex { get; internal set; }

    /// <summary>Sample indices in the split, one per image.</summary>
    public int[] Indices { get; }

    /// <summary>Count x Height x Width x 3 bytes, RGB, row-major per image.</summary>
    public byte[] Images { get; }

    /// <summary>Images in the batch.</summary>
    public int Count => Indices.Length;

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Bytes per image.</summary>
    public int ImageBytes => Height * Width * Channels;

    /// <summary>The pixels of image <paramref name="i"/>.</summary>
    public Span<byte> Image(int i) => Images.AsSpan(i * ImageBytes, ImageBytes);
}
