using UlcAg.Graph.Autodiff;

namespace UlcAg.Graph;

// Convolution lowered to gathers and GEMMs over NHWC rows (ConvLowering.NhwcGemm), and its
// gradient rule. Activations are NCHW at the composite's boundary; in between, a convolution
// works on rows [N*H*W, C]:
//
//   x [N,C,H,W] --transpose--> [N, H*W, C] --pad one zero row--> [N, H*W+1, C]
//     --gather im2col table [Ho*Wo, taps]--> cols [N*Ho*Wo, taps*C]
//   y rows = cols x Wm^T  (Wm = weight as [O, taps*C], tap-major)  --> [N*Ho*Wo, O] --> NCHW
//
// ONNX Runtime's transpose optimizer cancels the transposes between a convolution, the
// elementwise ops after it and the next convolution.
public sealed partial class GraphBuilder
{
    /// <summary>Op type of the lowered convolution composite.</summary>
    public const string ConvGemmOp = "ConvGemm";

    private readonly Dictionary<string, Value> _indexTables = new(StringComparer.Ordinal);
    private readonly Dictionary<Value, Value> _paddedRows = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Value, Value> _backwardPaddedRows = new(ReferenceEqualityComparer.Instance);

    /// <summary>How convolutions with non-constant weights are emitted (see <see cref="Graph.ConvLowering"/>).</summary>
    public ConvLowering ConvLowering { get; set; } = ConvLowering.None;

    /// <summary>
    /// With <see cref="ConvLowering.NhwcGemm"/>, a convolution with fewer output positions over
    /// the batch (N x Ho x Wo) stays ONNX Conv, and so does any convolution of a single image
    /// (ONNX Conv already runs its one GEMM). Lowering reorders the weight every run, which costs
    /// about as much as the GEMM over 100 positions: at ResNet-18's 4x4 and 7x7 maps a batch of
    /// 32 runs much faster lowered, a single image slower.
    /// </summary>
    public long ConvLoweringMinPositions { get; set; } = 256;

    /// <summary>
    /// With <see cref="ConvLowering.NhwcGemm"/>, the largest im2col matrix gathered at once, in
    /// bytes: a larger convolution runs as pieces of whole images. At 224x224 layer1's 231 MB
    /// matrices become four pieces; the train step's peak memory falls by 0.4 GB at an unchanged
    /// speed (docs/BENCHMARKS.md).
    /// </summary>
    public long ConvLoweringChunkBytes { get; set; } = 64L << 20;

    /// <summary>
    /// With <see cref="ConvLowering.NhwcGemm"/>, how many bytes of forward im2col matrices the
    /// backward pass may reuse instead of gathering them again. The gradient rules run from the
    /// last convolution to the first, so the small matrices of the late stages are kept first.
    /// Kept matrices stay alive from the forward to the backward pass (nine times an activation
    /// per 3x3 convolution); the rest are gathered twice. The default, 512 MiB, keeps all of
    /// ResNet-18's at 112x112 and batch 32 (480 MB) and the late stages' at 224x224: about 4 %
    /// faster steps at either size (docs/BENCHMARKS.md).
    /// </summary>
    public long ConvLoweringKeepColumnsBytes { get; set; } = 512L << 20;

    /// <summary>
    /// With <see cref="ConvLowering.NhwcGemm"/>, how many bytes of forward intermediates in all
    /// the backward pass may reuse instead of making them again: Winograd's transformed input
    /// tiles (see <see cref="ConvLoweringWinogradTile"/>; 2.25 times an activation, or more at
    /// small maps) and im2col matrices (also within <see cref="ConvLoweringKeepColumnsBytes"/>).
    /// They are kept in the order the gradient rules run, from the last convolution to the first;
    /// the rest are recomputed, so a smaller figure lowers the train step's peak memory and costs
    /// time, never changing the math. Unlimited by default (the fastest steps).
    /// </summary>
    public long ConvLoweringKeepBytes
    {
        get => _keepBytes;
        set => _keepBytes = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a number of bytes, 0 or more");
    }

    private long _keepBytes = long.MaxValue;
    private long _keptBytes, _keptColumnBytes;

    /// <summary>
    /// True when <paramref name="bytes"/> of forward intermediates fit in what is left of
    /// <see cref="ConvLoweringKeepBytes"/> (and are then counted).
    /// </summary>
    internal bool KeepForBackward(long bytes)
    {
        if (_keptBytes > _keepBytes - bytes) return false;
        _keptBytes += bytes;
        return true;
    }

    /// <summary>
    /// True when the im2col matrices of <paramref name="geo"/> fit in what is left of
    /// <see cref="ConvLoweringKeepColumnsBytes"/> and <see cref="ConvLoweringKeepBytes"/> (and are then counted).
    /// </summary>
    internal bool KeepColumns(ConvGeometry geo)
    {
        var bytes = geo.N * geo.Ho * geo.Wo * geo.Taps * geo.C * 4;
        if (geo.IsPointwise || _keptColumnBytes + bytes > ConvLoweringKeepColumnsBytes || !KeepForBackward(bytes)) return false;
        _keptColumnBytes += bytes;
        return true;
    }

    private Value ConvAsGemm(Value x, Value weight, Value? bias, int stride, int pad, int dilation)
    {
        var geo = new ConvGeometry(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], weight.Shape[0], weight.Shape[2], weight.Shape[3], stride, pad, dilation);
        if (UsesWinograd(geo)) return ConvAsWinograd(x, weight, bias, geo);
        geo = geo with { Chunks = geo.ChunksWithin(ConvLoweringChunkBytes) };
        var attrs = new Dictionary<string, object>
        {
            ["strides"] = new long[] { stride, stride },
            ["pads"] = new long[] { pad, pad, pad, pad },
            ["dilations"] = new long[] { dilation, dilation },
        };
        // Only the composite sees this attribute, never ONNX Conv: the rule cuts the batch the same way.
        var compositeAttrs = new Dictionary<string, object>(attrs) { ["chunks"] = (long)geo.Chunks };
        var node = Composite(ConvGemmOp, bias is null ? [x, weight] : [x, weight, bias], () =>
        {
            if (geo.HasNarrowInput) return [NativeConv(x, weight, bias, geo.Ho, geo.Wo, attrs)];
            var wm = Reshape(Transpose(weight, 0, 2, 3, 1), geo.O, geo.Taps * geo.C);
            var y = Concat(Im2Col(x, geo).Select(cols => Gemm(cols, wm, bias, transB: true)).ToArray(), 0);
            return [FromRows(y, geo.N, geo.Ho, geo.Wo)];
        }, compositeAttrs);
        return node.Outputs[0];
    }

    /// <summary>
    /// The im2col matrix [N*Ho*Wo, taps*C] of an NCHW input, in <see cref="ConvGeometry.Chunks"/>
    /// pieces of whole images. <paramref name="copy"/> names a separate copy of the index table,
    /// so that ONNX Runtime does not merge this gather with an equal one (a recomputation in the
    /// backward pass must stay one). The forward's gathers (no copy) have a shape of their own,
    /// [n, 1, Ho*Wo, taps, C], so that ONNX Runtime's allocation plan does not hold a freed one
    /// until a backward gather of the same shape (see <see cref="WinogradTiles"/>).
    /// </summary>
    internal IReadOnlyList<Value> Im2Col(Value x, ConvGeometry geo, string copy = "")
    {
        if (geo.IsPointwise) return BatchChunks(ToRows(x), geo.Chunks).Select(r => Reshape(r, r.Shape[0] * r.Shape[1], geo.C)).ToArray();
        var key = $"im2col {geo.H}x{geo.W} k{geo.Kh}x{geo.Kw} s{geo.Stride} p{geo.Pad} d{geo.Dilation} {copy}";
        var table = IndexTable(key, geo.Ho * geo.Wo, geo.Taps, geo.Im2ColIndices, leadingAxis: copy.Length == 0);
        return BatchChunks(PaddedRows(x, backward: copy.Length != 0), geo.Chunks).Select(r => Reshape(Gather(r, table, 1), r.Shape[0] * geo.Ho * geo.Wo, geo.Taps * geo.C)).ToArray();
    }

    /// <summary>
    /// <paramref name="chunks"/> equal slices of <paramref name="x"/> along axis 0 (contiguous:
    /// whole images of rows [N, R, C], or whole rows of [P, C]); <paramref name="x"/> itself for one.
    /// </summary>
    internal IReadOnlyList<Value> BatchChunks(Value x, int chunks)
    {
        if (chunks == 1) return [x];
        var size = x.Shape[0] / chunks;
        return Enumerable.Range(0, chunks).Select(k => Slice(x, [k * size], [(k + 1) * size], [0])).ToArray();
    }

    /// <summary>
    /// The rows [N, H*W + 1, C] of an NCHW value with a zero row per image, made once per value
    /// for the forward pass and once more for the backward pass (<paramref name="backward"/>: a
    /// recomputed im2col matrix or Winograd tiles). Shared, the forward's copy of the input (an
    /// activation's size: 25 MB for each of layer1's convolutions at 224x224, batch 32) stayed
    /// alive until the backward pass, beside the input itself, which the backward pass keeps anyway.
    /// The backward's copy pads a view [1, N, H*W, C], so that it is a node of its own (ONNX
    /// Runtime would merge two equal Pads) with a buffer of its own shape (see <see cref="WinogradTiles"/>).
    /// </summary>
    private Value PaddedRows(Value x, bool backward = false)
    {
        var cache = backward ? _backwardPaddedRows : _paddedRows;
        if (!cache.TryGetValue(x, out var padded))
        {
            var rows = ToRows(x);
            padded = backward
                ? Reshape(Pad(Reshape(rows, [1, .. rows.Shape.ToArray()]), [0, 0, 0, 0, 0, 0, 1, 0]), rows.Shape[0], rows.Shape[1] + 1, rows.Shape[2])
                : Pad(rows, [0, 0, 0, 0, 1, 0]);
            cache[x] = padded;
        }
        return padded;
    }

    /// <summary>NCHW [N, C, H, W] as rows [N, H*W, C].</summary>
    internal Value ToRows(Value x) => Reshape(LayoutTranspose(x, 0, 2, 3, 1), x.Shape[0], x.Shape[2] * x.Shape[3], x.Shape[1]);

    /// <summary>Rows [N*H*W, C] (or [N, H*W, C]) back to NCHW [N, C, H, W].</summary>
    internal Value FromRows(Value rows, long n, long h, long w) => LayoutTranspose(Reshape(rows, n, h, w, rows.Shape[^1]), 0, 3, 1, 2);

    private Value LayoutTranspose(Value x, params long[] perm)
    {
        var y = Transpose(x, perm);
        y.Producer!.IsLayoutBoundary = true;
        return y;
    }

    /// <summary>
    /// Gathers rows of every image: <paramref name="rows"/> [N, R, C] gets a zero row R, then
    /// row table [P, K] gives [N, P, K, C].
    /// </summary>
    internal Value GatherRows(Value rows, Value table) => Gather(Pad(rows, [0, 0, 0, 0, 1, 0]), table, 1);

    /// <summary>
    /// A constant int64 table [rows, width] (with <paramref name="leadingAxis"/> [1, rows, width],
    /// for a gather of a shape of its own), shared by every convolution with the same key.
    /// </summary>
    internal Value IndexTable(string key, long rows, long width, Func<long[]> build, bool leadingAxis = false)
    {
        key += leadingAxis ? " [1]" : "";
        if (!_indexTables.TryGetValue(key, out var table))
        {
            table = Constant(leadingAxis ? TensorData.Of(build(), 1, rows, width) : TensorData.Of(build(), rows, width));
            _indexTables[key] = table;
        }
        return table;
    }
}

internal static class ConvGemmGradients
{
    internal static void Register(GradientRegistry r) => r.Register(GraphBuilder.ConvGemmOp, ConvGemm);

    /// <summary>
    /// dW from the forward's im2col matrix, one GEMM over all positions of the batch. dX for stride 1: a gather of dY with the transposed table, then one GEMM with the
    /// weight as [taps*O, C]. dX for larger strides: one GEMM to the column gradient
    /// [N*Ho*Wo, taps*C] (no multiplications by inserted zeros), then col2im as a gather of the
    /// columns that read each input position and a sum over them.
    /// </summary>
    private static Value?[] ConvGemm(GradContext c)
    {
        var g = c.G;
        var (x, w, dy) = (c.I(0), c.I(1), c.GO0);
        var geo = new ConvGeometry(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], w.Shape[0], w.Shape[2], w.Shape[3],
            (int)c.Node.Ints("strides", [1, 1])[0], (int)c.Node.Ints("pads", [0, 0, 0, 0])[0], (int)c.Node.Ints("dilations", [1, 1])[0])
        {
            Chunks = (int)c.Node.Int("chunks", 1),
        };
        if (geo.HasNarrowInput) return NarrowInputGradients(c, geo);
        // The backward pass gathers the im2col matrix again unless the budget lets it keep the
        // forward's (ONNX Runtime merges the two equal gathers): nine times an activation per 3x3
        // convolution stays alive from the forward to the backward pass (about 1.9 GB at
        // 224x224, batch 32, for all of them).
        var cols = g.Im2Col(x, geo, copy: g.KeepColumns(geo) ? "" : "backward");
        var dyRows = g.Reshape(g.ToRows(dy), geo.N * geo.Ho * geo.Wo, geo.O);
        var dyChunks = g.BatchChunks(dyRows, geo.Chunks);

        // dW as one GEMM over all positions of the batch (chunk by chunk, each adding to the
        // last through Gemm's C input), in the orientation MLAS runs faster for the shape
        // (docs/BENCHMARKS.md): cols^T dY [taps*C, O] for narrow layers (64 filters, about 1.5x
        // faster there), else dY^T cols [O, taps*C], whose reordering to OIHW is a cheap move of
        // one axis (the other order's 4-D permutation costs up to 70 ms at 512x512).
        Value dw;
        if (geo.O <= 64)
        {
            var dwmT = cols.Zip(dyChunks).Aggregate((Value?)null, (acc, p) => g.Gemm(p.First, p.Second, acc, transA: true))!;
            dw = g.Transpose(g.Reshape(dwmT, geo.Kh, geo.Kw, geo.C, geo.O), 3, 2, 0, 1);
        }
        else
        {
            var dwm = cols.Zip(dyChunks).Aggregate((Value?)null, (acc, p) => g.Gemm(p.Second, p.First, acc, transA: true))!;
            dw = g.Reshape(g.Transpose(g.Reshape(dwm, geo.O, geo.Taps, geo.C), 0, 2, 1), geo.O, geo.C, geo.Kh, geo.Kw);
        }

        var dx = InputGradient(g, w, dy, dyChunks, geo);
        return c.Node.Inputs.Count > 2 ? [dx, dw, g.ReduceSum(dyRows, [0])] : [dx, dw];
    }

    /// <summary>
    /// A convolution with few input channels (the RGB stem) runs forward as ONNX Conv, so its
    /// output stays NCHW. dW[o, c, i, j] = sum over n, p, q of dY[n, o, p, q] Xpad[n, c, s p + d i, s q + d j]
    /// is itself a convolution: the C input channels become a batch of C images with N channels,
    /// dY^T [O, N, Ho, Wo] the kernel, stride d, dilation s; the output's first kh x kw positions
    /// are dW^T. ONNX Runtime runs it with its im2col in cache, about 1.5x faster than gathering
    /// the stem's columns (blocks of 3 floats) and a batched MatMul (docs/BENCHMARKS.md). dX
    /// (rarely wanted: the stem's input is the image) comes from the ONNX Conv rule.
    /// </summary>
    private static Value?[] NarrowInputGradients(GradContext c, ConvGeometry geo)
    {
        var g = c.G;
        var (x, w, dy) = (c.I(0), c.I(1), c.GO0);
        var kh = geo.H + 2 * geo.Pad - geo.Stride * (geo.Ho - 1);
        var kw = geo.W + 2 * geo.Pad - geo.Stride * (geo.Wo - 1);
        var attrs = new Dictionary<string, object>
        {
            ["kernel_shape"] = new[] { geo.Ho, geo.Wo },
            ["strides"] = new long[] { geo.Dilation, geo.Dilation },
            ["pads"] = new long[] { geo.Pad, geo.Pad, geo.Pad, geo.Pad },
            ["dilations"] = new long[] { geo.Stride, geo.Stride },
        };
        var outH = (kh - 1) / geo.Dilation + 1;
        var outW = (kw - 1) / geo.Dilation + 1;
        var full = g.Op("Conv", [g.Transpose(x, 1, 0, 2, 3), g.Transpose(dy, 1, 0, 2, 3)], [(x.Type, new Shape(geo.C, geo.O, outH, outW))], attrs).Outputs[0];
        var dw = g.Transpose(g.Slice(full, [0, 0], [geo.Kh, geo.Kw], [2, 3]), 1, 0, 2, 3);
        var dx = ConvGradients.InputGradient(g, x, w, dy, geo.Stride, geo.Pad, geo.Dilation);
        return c.Node.Inputs.Count > 2 ? [dx, dw, g.ReduceSum(dy, [0, 2, 3])] : [dx, dw];
    }

    private static Value InputGradient(GraphBuilder g, Value w, Value dy, IReadOnlyList<Value> dyChunks, ConvGeometry geo)
    {
        Value Rows(IEnumerable<Value> chunks) => g.FromRows(g.Concat(chunks.ToArray(), 0), geo.N, geo.H, geo.W);
        if (geo.IsPointwise)
        {
            var wp = g.Reshape(w, geo.O, geo.C);
            return Rows(dyChunks.Select(d => g.Gemm(d, wp)));
        }
        var images = geo.N / geo.Chunks;
        if (geo.Stride == 1)
        {
            var key = $"im2col-t {geo.H}x{geo.W} k{geo.Kh}x{geo.Kw} p{geo.Pad} d{geo.Dilation}";
            var table = g.IndexTable(key, geo.H * geo.W, geo.Taps, geo.TransposedIndices);
            // Weight as [taps*O, C]: row (tap, o), column c.
            var wt = g.Reshape(g.Transpose(w, 2, 3, 0, 1), geo.Taps * geo.O, geo.C);
            var paddedDy = g.Pad(g.ToRows(dy), [0, 0, 0, 0, 1, 0]);
            return Rows(g.BatchChunks(paddedDy, geo.Chunks).Select(d =>
                g.Gemm(g.Reshape(g.Gather(d, table, 1), images * geo.H * geo.W, geo.Taps * geo.O), wt)));
        }
        var wm = g.Reshape(g.Transpose(w, 0, 2, 3, 1), geo.O, geo.Taps * geo.C);
        var (indices, width) = geo.Col2ImIndices();
        var col2im = g.IndexTable($"col2im {geo.H}x{geo.W} k{geo.Kh}x{geo.Kw} s{geo.Stride} p{geo.Pad} d{geo.Dilation}", geo.H * geo.W, width, () => indices);
        return Rows(dyChunks.Select(d =>
        {
            var dcols = g.Reshape(g.Gemm(d, wm), images, geo.Ho * geo.Wo * geo.Taps, geo.C);
            var gathered = g.GatherRows(dcols, col2im);
            return g.Reshape(width == 1 ? gathered : g.ReduceSum(gathered, [2]), images * geo.H * geo.W, geo.C);
        }));
    }
}
