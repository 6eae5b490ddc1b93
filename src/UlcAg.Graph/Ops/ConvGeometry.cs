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

    // Winograd F(m x m, 3x3) tables (3x3 kernel, stride 1, padding 1, so Ho = H and Wo = W).
    // Tile t = (n, a, b) covers outputs m*a.., m*b.. and reads the (m+2)x(m+2) input patch from
    // (m*a - 1, m*b - 1); t = (n * TilesH + a) * TilesW + b over the whole batch. These tables
    // index flattened batches, so unlike the im2col tables they depend on N.

    /// <summary>Winograd tiles of m x m outputs over the batch, N * ceil(Ho/m) * ceil(Wo/m).</summary>
    public long TileCount(int m) => N * CeilDiv(Ho, m) * CeilDiv(Wo, m);

    /// <summary>
    /// [(m+2)^2, TileCount]: for patch entry (r, c) of tile t, its row in the batch's padded rows
    /// [N * (H*W + 1), C] (each image's own zero row where the patch leaves the image).
    /// </summary>
    public long[] WinogradInputIndices(int m)
    {
        var (th, tw, tiles, patch) = (CeilDiv(Ho, m), CeilDiv(Wo, m), TileCount(m), m + 2);
        var idx = new long[patch * patch * tiles];
        for (long t = 0; t < tiles; t++)
        {
            var (n, a, b) = (t / (th * tw), t / tw % th, t % tw);
            for (long k = 0; k < patch * patch; k++)
            {
                var (h, w) = (m * a - 1 + k / patch, m * b - 1 + k % patch);
                var row = h < 0 || h >= H || w < 0 || w >= W ? H * W : h * W + w;
                idx[k * tiles + t] = n * (H * W + 1) + row;
            }
        }
        return idx;
    }

    /// <summary>[N*Ho*Wo]: for output (n, y, x), its row (u*m + v) * TileCount + t of the tile outputs [m^2 * TileCount, O].</summary>
    public long[] WinogradOutputIndices(int m)
    {
        var (th, tw, tiles) = (CeilDiv(Ho, m), CeilDiv(Wo, m), TileCount(m));
        var idx = new long[N * Ho * Wo];
        for (long n = 0; n < N; n++)
        {
            for (long y = 0; y < Ho; y++)
            {
                for (long x = 0; x < Wo; x++)
                {
                    var t = (n * th + y / m) * tw + x / m;
                    idx[(n * Ho + y) * Wo + x] = (y % m * m + x % m) * tiles + t;
                }
            }
        }
        return idx;
    }

    /// <summary>The inverse of <see cref="WinogradOutputIndices"/>: [m^2 * TileCount] output rows, N*Ho*Wo (a zero row) past an edge.</summary>
    public long[] WinogradOutputTransposedIndices(int m)
    {
        var idx = new long[m * m * TileCount(m)];
        Array.Fill(idx, N * Ho * Wo);
        var forward = WinogradOutputIndices(m);
        for (long row = 0; row < forward.Length; row++) idx[forward[row]] = row;
        return idx;
    }

    /// <summary>
    /// [N*H*W, width]: for each input row, the patch entries k * TileCount + t of the patch
    /// gradient [(m+2)^2 * TileCount, C] that read it, padded with row (m+2)^2 * TileCount (the
    /// first of the zero rows after it).
    /// </summary>
    public (long[] Indices, long Width) WinogradCol2ImIndices(int m)
    {
        var lists = new List<long>[N * H * W];
        for (var i = 0; i < lists.Length; i++) lists[i] = [];
        var input = WinogradInputIndices(m);
        for (long e = 0; e < input.Length; e++)
        {
            var (n, row) = (input[e] / (H * W + 1), input[e] % (H * W + 1));
            if (row < H * W) lists[n * H * W + row].Add(e);
        }
        var width = lists.Max(l => l.Count);
        var idx = new long[lists.Length * width];
        for (var i = 0; i < lists.Length; i++)
        {
            for (var j = 0; j < width; j++) idx[i * width + j] = j < lists[i].Count ? lists[i][j] : input.Length;
        }
        return (idx, width);
    }
}
