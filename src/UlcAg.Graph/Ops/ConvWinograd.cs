using UlcAg.Graph.Autodiff;

namespace UlcAg.Graph;

// 3x3 convolutions with stride 1 and padding 1 by Winograd's minimal filtering F(m x m, 3x3)
// (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016), lowered to
// gathers and GEMMs over NHWC rows like ConvGemm. Every m x m block of outputs ("tile") is
//
//   Y = A^T [ (G W G^T) . (B^T D B) ] A        D: the (m+2)x(m+2) input patch around the block
//
// and the P = (m+2)^2 elementwise products, summed over input channels, are P GEMMs over all
// tiles of the batch: P / m^2 multiplications per output and input channel (2.25 for m = 4,
// 4 for m = 2) instead of im2col's 9.
//
//   x rows --gather patches--> D [P, T, C] --Bk x--> V [P, T, C]       (T: tiles of the batch)
//   W as [O*C, 9] --Gk x ^T--> U^T [P, O, C]
//   M = V x U [P, T, O] --Ak x--> [m^2, T, O] --gather--> y rows [N*Ho*Wo, O]
//
// Bk, Gk and Ak are the Kronecker squares of B^T, G and A^T. Every step is linear, so the
// backward pass is the same chain transposed, with dU = V^T dM from the kept V.
public sealed partial class GraphBuilder
{
    /// <summary>Op type of the Winograd convolution composite.</summary>
    public const string ConvWinogradOp = "ConvWinograd";

    private readonly Dictionary<(Value, int), Value> _winogradTiles = [];
    private readonly Dictionary<(Value, int, bool), Value> _winogradWeights = [];
    private readonly Dictionary<int, WinogradConstants> _winogradConstants = [];

    /// <summary>
    /// With <see cref="ConvLowering.NhwcGemm"/>, 3x3 convolutions with stride 1 and padding 1
    /// (most of ResNet-18's arithmetic) run as Winograd F(m x m, 3x3) with this output tile m:
    /// 4 (the default; 2.25 multiplications per output and input channel, and the transformed
    /// patches are 2.25 times an activation), 2 (4 multiplications, patches 4 times an
    /// activation, rounding closer to the direct sum) or 0 (im2col GEMMs, 9 multiplications).
    /// In float32 the outputs differ from ONNX Conv's by up to about 1e-6 (m = 2) or 1e-5
    /// (m = 4, 256 input channels) of their largest magnitude.
    /// </summary>
    public int ConvLoweringWinogradTile
    {
        get => _winogradTile;
        set => _winogradTile = value is 0 or 2 or 4 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Winograd output tiles are 2 or 4 (0: off)");
    }

    private int _winogradTile = 4;

    private bool UsesWinograd(ConvGeometry geo)
        => _winogradTile != 0 && geo is { Kh: 3, Kw: 3, Stride: 1, Pad: 1, Dilation: 1 } && !geo.HasNarrowInput;

    private Value ConvAsWinograd(Value x, Value weight, Value? bias, ConvGeometry geo)
    {
        var m = _winogradTile;
        var attrs = new Dictionary<string, object> { ["tile"] = (long)m };
        var node = Composite(ConvWinogradOp, bias is null ? [x, weight] : [x, weight, bias], () =>
        {
            var k = WinogradMatrices(m);
            var tiles = geo.TileCount(m);
            // The weight transform first: ONNX Runtime's execution order runs a node's inputs from
            // the last created to the first, so U^T is made just before the product (not before
            // the whole forward pass, alive all through it).
            var ut = WinogradWeights(weight, geo, m);
            var v = WinogradTiles(x, geo, m);
            // Forward-only shapes (a leading axis of 1, see WinogradTiles) for the products and z.
            var products = Reshape(MatMul(Reshape(v, 1, k.Patch, tiles, geo.C), TransposeLast2(ut)), 1, k.Patch, tiles * geo.O);
            var z = Reshape(MatMul(k.A, products), m * m * tiles, geo.O);
            var outputs = IndexTable($"winograd{m}-out {geo.N}x{geo.H}x{geo.W}", geo.N * geo.Ho * geo.Wo, 1, () => geo.WinogradOutputIndices(m));
            var y = Reshape(Gather(z, outputs), geo.N * geo.Ho * geo.Wo, geo.O);
            if (bias is not null) y = y + bias;
            return [FromRows(y, geo.N, geo.Ho, geo.Wo)];
        }, attrs);
        return node.Outputs[0];
    }

    /// <summary>
    /// V = Bk D [P, T, C], the transformed input patches, made once per input value; the backward
    /// pass reuses it, or with <paramref name="recompute"/> makes its own (from a separate copy of
    /// the index table, so that ONNX Runtime does not merge the two gathers), and the forward's
    /// then dies right after the product.
    /// <para>
    /// The forward's gathered patches and V have shapes of their own ([1, P, T, C], a leading axis
    /// of 1) that no backward tensor has. ONNX Runtime's allocation plan hands a freed buffer to
    /// the next tensor of exactly the same shape, and holds it until then: a forward temporary
    /// shaped like a backward tensor would stay allocated, unused, from the forward pass to the
    /// backward pass (the forward's V until its recomputation, which then saved nothing).
    /// </para>
    /// </summary>
    internal Value WinogradTiles(Value x, ConvGeometry geo, int m, bool recompute = false)
    {
        if (recompute || !_winogradTiles.TryGetValue((x, m), out var v))
        {
            var k = WinogradMatrices(m);
            var tiles = geo.TileCount(m);
            var rows = Reshape(PaddedRows(x, backward: recompute), geo.N * (geo.H * geo.W + 1), geo.C);
            var table = IndexTable($"winograd{m}-in {geo.N}x{geo.H}x{geo.W}" + (recompute ? " backward" : ""), k.Patch, tiles, () => geo.WinogradInputIndices(m), leadingAxis: !recompute);
            var d = Reshape(Gather(rows, table), [.. recompute ? Array.Empty<long>() : [1L], k.Patch, tiles * geo.C]);
            v = Reshape(MatMul(k.B, d), k.Patch, tiles, geo.C);
            if (!recompute) _winogradTiles[(x, m)] = v;
        }
        return v;
    }

    /// <summary>
    /// U^T = [P, O, C]: Gk times the weight's taps, one Gemm Gk W^T from the weight's own layout
    /// [O*C, 9] (Gemm reads the swapped operand in place, and ONNX Runtime runs the product
    /// M = V U with U^T as one FusedMatMul, so no weight is ever permuted: a 4-D permutation of
    /// a 512x512x3x3 weight takes 30-50 ms on a 2-core machine). The forward pass makes it once
    /// per weight; under a memory budget the backward pass (<paramref name="backward"/>) makes its
    /// own from a separate copy of Gk rather than keeping it alive in between (4 times the
    /// weight: 38 MB for a 512x512 convolution); without one it reuses the forward's.
    /// </summary>
    internal Value WinogradWeights(Value weight, ConvGeometry geo, int m, bool backward = false)
    {
        if (!_winogradWeights.TryGetValue((weight, m, backward), out var ut))
        {
            var k = WinogradMatrices(m);
            ut = Reshape(Gemm(backward ? k.GBackward : k.G, Reshape(weight, geo.O * geo.C, 9), transB: true), k.Patch, geo.O, geo.C);
            _winogradWeights[(weight, m, backward)] = ut;
        }
        return ut;
    }

    /// <summary>The constant transform matrices for output tile <paramref name="m"/>, one set per builder.</summary>
    internal WinogradConstants WinogradMatrices(int m)
    {
        if (!_winogradConstants.TryGetValue(m, out var k))
        {
            k = new WinogradConstants(this, m);
            _winogradConstants[m] = k;
        }
        return k;
    }

    /// <summary>
    /// The transforms of F(m x m, 3x3) as Kronecker squares (Lavin and Gray's matrices), forward
    /// and transposed. F(2, 3): B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1],
    /// G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1], A^T = [1 1 1 0; 0 1 -1 -1]; F(4, 3) interpolates
    /// at 0, 1, -1, 2, -2 and infinity.
    /// </summary>
    internal sealed class WinogradConstants
    {
        private static readonly double[,] Bt2 = { { 1, 0, -1, 0 }, { 0, 1, 1, 0 }, { 0, -1, 1, 0 }, { 0, 1, 0, -1 } };
        private static readonly double[,] G2 = { { 1, 0, 0 }, { 0.5, 0.5, 0.5 }, { 0.5, -0.5, 0.5 }, { 0, 0, 1 } };
        private static readonly double[,] At2 = { { 1, 1, 1, 0 }, { 0, 1, -1, -1 } };

        private static readonly double[,] Bt4 =
        {
            { 4, 0, -5, 0, 1, 0 }, { 0, -4, -4, 1, 1, 0 }, { 0, 4, -4, -1, 1, 0 },
            { 0, -2, -1, 2, 1, 0 }, { 0, 2, -1, -2, 1, 0 }, { 0, 4, 0, -5, 0, 1 },
        };
        private static readonly double[,] G4 =
        {
            { 1.0 / 4, 0, 0 }, { -1.0 / 6, -1.0 / 6, -1.0 / 6 }, { -1.0 / 6, 1.0 / 6, -1.0 / 6 },
            { 1.0 / 24, 1.0 / 12, 1.0 / 6 }, { 1.0 / 24, -1.0 / 12, 1.0 / 6 }, { 0, 0, 1 },
        };
        private static readonly double[,] At4 = { { 1, 1, 1, 1, 1, 0 }, { 0, 1, -1, 2, -2, 0 }, { 0, 1, 1, 4, 4, 0 }, { 0, 1, -1, 8, -8, 1 } };

        public WinogradConstants(GraphBuilder g, int m)
        {
            var (bt, gm, at) = m == 2 ? (Bt2, G2, At2) : (Bt4, G4, At4);
            Patch = (m + 2) * (m + 2);
            B = g.Constant(Kron(bt, transpose: false, zeroRow: false));
            BTransposedWithZeros = g.Constant(Kron(bt, transpose: true, zeroRow: true));
            G = g.Constant(Kron(gm, transpose: false, zeroRow: false));
            GBackward = g.Constant(Kron(gm, transpose: false, zeroRow: false));
            A = g.Constant(Kron(at, transpose: false, zeroRow: false));
            ATransposed = g.Constant(Kron(at, transpose: true, zeroRow: false));
        }

        /// <summary>Entries of a patch, (m+2)^2.</summary>
        public long Patch { get; }

        public Value B { get; }

        /// <summary>Bk^T with an extra row of zeros: the patch gradient it makes ends in zero rows that col2im's table points at.</summary>
        public Value BTransposedWithZeros { get; }

        public Value G { get; }

        /// <summary>A separate copy of <see cref="G"/> for the backward pass's weight transforms (see <see cref="WinogradWeights"/>).</summary>
        public Value GBackward { get; }
        public Value A { get; }
        public Value ATransposed { get; }

        /// <summary>K[(p,q),(r,c)] = M[p,r] M[q,c] (or its transpose) as a float tensor [rows^2, cols^2], plus a zero row if asked.</summary>
        private static TensorData Kron(double[,] m, bool transpose, bool zeroRow)
        {
            var (rows, cols) = transpose ? (m.GetLength(1), m.GetLength(0)) : (m.GetLength(0), m.GetLength(1));
            double At(int i, int j) => transpose ? m[j, i] : m[i, j];
            var (height, width) = (rows * rows, cols * cols);
            var k = new float[(height + (zeroRow ? 1 : 0)) * width];
            for (var p = 0; p < rows; p++)
            for (var q = 0; q < rows; q++)
            for (var r = 0; r < cols; r++)
            for (var c = 0; c < cols; c++)
                k[(p * rows + q) * width + r * cols + c] = (float)(At(p, r) * At(q, c));
            return TensorData.Of(k, height + (zeroRow ? 1 : 0), width);
        }
    }
}

internal static class ConvWinogradGradients
{
    internal static void Register(GradientRegistry r) => r.Register(GraphBuilder.ConvWinogradOp, ConvWinograd);

    /// <summary>
    /// The forward chain transposed. dY's rows go back to tile order by a gather (positions past
    /// an edge read a zero row), dM = Ak^T dZ; dW from dU^T = dM^T V (V kept from the forward
    /// pass) through Gk; dX from dV = dM U^T through Bk^T, then each input row sums the (at most
    /// four) patch entries that read it.
    /// </summary>
    private static Value?[] ConvWinograd(GradContext c)
    {
        var g = c.G;
        var m = (int)c.Node.Int("tile", 2);
        var k = g.WinogradMatrices(m);
        var (x, w, dy) = (c.I(0), c.I(1), c.GO0);
        var geo = new ConvGeometry(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], w.Shape[0], 3, 3, 1, 1, 1);
        var tiles = geo.TileCount(m);

        var dyRows = g.Reshape(g.ToRows(dy), geo.N * geo.Ho * geo.Wo, geo.O);
        var inverse = g.IndexTable($"winograd{m}-out-t {geo.N}x{geo.H}x{geo.W}", m * m * tiles, 1, () => geo.WinogradOutputTransposedIndices(m));
        // Only sizes that are not multiples of m have tile outputs past the edge, which read a zero row.
        var padded = geo.Ho % m == 0 && geo.Wo % m == 0 ? dyRows : g.Pad(dyRows, [0, 0, 1, 0]);
        var dz = g.Reshape(g.Gather(padded, inverse), m * m, tiles * geo.O);
        var dm = g.Reshape(g.MatMul(k.ATransposed, dz), k.Patch, tiles, geo.O);

        // dU^T = dM^T V [P, O, C]; dW as [O*C, 9] = (dU^T as [P, O*C])^T Gk. V is the forward's
        // while the memory budget keeps it, else made again here.
        var v = g.WinogradTiles(x, geo, m, recompute: !g.KeepForBackward(k.Patch * tiles * geo.C * sizeof(float)));
        var dut = g.Reshape(g.MatMul(g.TransposeLast2(dm), v), k.Patch, geo.O * geo.C);
        // A Gemm (not MatMul), so that an optimizer's weight decay folds into it (GraphBuilder.AddScaled).
        var dw = g.Reshape(g.Gemm(dut, k.G, transA: true), geo.O, geo.C, 3, 3);

        // Without a memory budget the forward's U^T is reused (the fastest step); with one, made again.
        var dv = g.Reshape(g.MatMul(dm, g.WinogradWeights(w, geo, m, backward: g.ConvLoweringKeepBytes != long.MaxValue)), k.Patch, tiles * geo.C);
        var dd = g.Reshape(g.MatMul(k.BTransposedWithZeros, dv), (k.Patch + 1) * tiles, geo.C);
        var (table, width) = geo.WinogradCol2ImIndices(m);
        var col2im = g.IndexTable($"winograd{m}-col2im {geo.N}x{geo.H}x{geo.W}", geo.N * geo.H * geo.W, width, () => table);
        var dx = g.FromRows(g.ReduceSum(g.Gather(dd, col2im), [1]), geo.N, geo.H, geo.W);
        return c.Node.Inputs.Count > 2 ? [dx, dw, g.ReduceSum(dyRows, [0])] : [dx, dw];
    }
}
