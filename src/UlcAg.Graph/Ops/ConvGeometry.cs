namespace UlcAg.Graph;

/// <summary>
/// Shape arithmetic of one 2-D convolution and the index tables that turn it into gathers over
/// NHWC rows. Every table indexes the rows of one image plus a trailing zero row, so it does not
/// depend on the batch size: padding and positions no tap reaches read the zero row.
/// </summary>
internal sealed record ConvGeometry(long N, long C, long H, long W, long O, long Kh, long Kw, int Stride, int Pad, int Dilation)
{
    public long Ho => GraphBuilder.ConvOut(H, Kh, Stride, Pad, Dilation);
    public long Wo => GraphBuilder.ConvOut(W, Kw, Stride, Pad, Dilation);
    public long Taps => Kh * Kw;

    /// <summary>
    /// Fewer than 16 input channels (an RGB stem): gathering rows of a few floats is slow, and
    /// ONNX Conv runs both the forward pass and (as a convolution of the input with dY) dW well.
    /// </summary>
    public bool HasNarrowInput => C < 16;

    /// <summary>Into how many pieces of whole images the batch is cut for the gathers and GEMMs.</summary>
    public int Chunks { get; init; } = 1;

    /// <summary>
    /// The fewest pieces (a divisor of N) that keep each piece's column matrix, forward or for
    /// dX, within <paramref name="budgetBytes"/>.
    /// </summary>
    public int ChunksWithin(long budgetBytes)
    {
        // dX gathers dY's columns [H*W, taps*O] for stride 1; for larger strides the column
        // gradient is [Ho*Wo, taps*C] and col2im gathers at most ceil(k/s)^2 rows per position.
        var dx = Stride == 1 ? H * W * Taps * O : Math.Max(Ho * Wo * Taps * C, H * W * CeilDiv(Kh, Stride) * CeilDiv(Kw, Stride) * C);
        var bytes = N * Math.Max(Ho * Wo * Taps * C, dx) * sizeof(float);
        for (var k = 1; k < N; k++)
        {
            if (N % k == 0 && bytes / k <= budgetBytes) return k;
        }
        return (int)N;
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;

    /// <summary>A 1x1 convolution with stride 1 and no padding: a plain GEMM over the input rows.</summary>
    public bool IsPointwise => Kh == 1 && Kw == 1 && Stride == 1 && Pad == 0;

    /// <summary>
    /// Every (output position y*Wo + x, tap i*Kw + j) with the input row (h * W + w) it reads, or
    /// H*W (the zero row) where the tap falls into the padding.
    /// </summary>
    private IEnumerable<(long Output, long Tap, long Row)> Reads()
    {
        for (long y = 0; y < Ho; y++)
        {
            for (long x = 0; x < Wo; x++)
            {
                for (long i = 0; i < Kh; i++)
                {
                    for (long j = 0; j < Kw; j++)
                    {
                        var h = y * Stride - Pad + i * Dilation;
                        var w = x * Stride - Pad + j * Dilation;
                        yield return (y * Wo + x, i * Kw + j, h < 0 || h >= H || w < 0 || w >= W ? H * W : h * W + w);
                    }
                }
            }
        }
    }

    /// <summary>im2col: [Ho*Wo, taps] input rows, tap-major within an output position.</summary>
    public long[] Im2ColIndices()
    {
        var idx = new long[Ho * Wo * Taps];
        foreach (var (output, tap, row) in Reads()) idx[output * Taps + tap] = row;
        return idx;
    }

    /// <summary>
    /// The transposed gather for stride 1: [H*W, taps] rows of dY (Ho*Wo is its zero row) such
    /// that dX at input position p = sum over taps t of dY[row(p, t)] W[:, :, t]. Tap t of output
    /// q reads input q - pad + t*d, so input p receives from output p + pad - t*d.
    /// </summary>
    public long[] TransposedIndices()
    {
        if (Stride != 1) throw new InvalidOperationException("the transposed gather needs stride 1");
        // Row Ho*Wo of dY is the zero row; every entry not reached below points at it.
        var idx = new long[H * W * Taps];
        Array.Fill(idx, Ho * Wo);
        foreach (var (output, tap, row) in Reads())
        {
            if (row < H * W) idx[row * Taps + tap] = output;
        }
        return idx;
    }

    /// <summary>
    /// col2im as a gather: for each input position, the (output position, tap) rows of the
    /// [Ho*Wo*taps] column gradient that read it, padded with the zero row (Ho*Wo*taps) to the
    /// largest count. Returns the table [H*W, width] and its width.
    /// </summary>
    public (long[] Indices, long Width) Col2ImIndices()
    {
        var lists = new List<long>[H * W];
        for (var k = 0; k < lists.Length; k++) lists[k] = [];
        foreach (var (output, tap, row) in Reads())
        {
            if (row < H * W) lists[row].Add(output * Taps + tap);
        }
        var width = Math.Max(1, lists.Max(l => l.Count));
        var zero = Ho * Wo * Taps;
        var idx = new long[H * W * width];
        for (var k = 0; k < lists.Length; k++)
        {
            for (var t = 0; t < width; t++) idx[k * width + t] = t < lists[k].Count ? lists[k][t] : zero;
        }
        return (idx, width);
    }
}
