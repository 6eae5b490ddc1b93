using UlcAg.Graph.Autodiff;

namespace UlcAg.Graph;

// 3x3 convolutions with stride 1 and padding 1 by Winograd's minimal filtering F(2x2, 3x3)
// (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016), lowered to
// gathers and GEMMs over NHWC rows like ConvGemm. Every 2x2 block of outputs ("tile") is
//
//   Y = A^T [ (G W G^T) . (B^T D B) ] A        D: the 4x4 input patch around the block
//
// and the 16 elementwise products, summed over input channels, are 16 GEMMs over all tiles of
// the batch: 4 multiplications per output and input channel instead of im2col's 9.
//
//   x rows --gather 4x4 patches--> D [16, N*T, C] --Bk x--> V [16, N*T, C]
//   W [O,C,3,3] --> [9, C*O] --Gk x--> U [16, C, O]
//   M = V x U [16, N*T, O] --Ak x--> [4, N*T, O] --gather--> y rows [N*Ho*Wo, O]
//
// Bk, Gk and Ak are the Kronecker squares of B^T, G and A^T (16x16, 16x9, 4x16). Every step is
// linear, so the backward pass is the same chain transposed, with dU = V^T dM from the kept V.
public sealed partial class GraphBuilder
{
    /// <summary>Op type of the Winograd convolution composite.</summary>
    public const string ConvWinogradOp = "ConvWinograd";

    private readonly Dictionary<Value, Value> _winogradTiles = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// With <see cref="ConvLowering.NhwcGemm"/>, 3x3 convolutions with stride 1 and padding 1
    /// (most of ResNet-18's arithmetic) run as Winograd F(2x2, 3x3): 2.25 times fewer
    /// multiplications in their GEMMs, forward and backward. Rounding differs from the direct
    /// sum by a few units in the last place of float32.
    /// </summary>
    public bool ConvLoweringWinograd { get; set; } = true;

    private static bool IsWinogradShape(ConvGeometry geo)
        => geo is { Kh: 3, Kw: 3, Stride: 1, Pad: 1, Dilation: 1 } && !geo.HasNarrowInput;

    private Value ConvAsWinograd(Value x, Value weight, Value? bias, ConvGeometry geo)
    {
        var node = Composite(ConvWinogradOp, bias is null ? [x, weight] : [x, weight, bias], () =>
        {
            var v = WinogradTiles(x, geo);
            var m = Reshape(MatMul(v, TransposeLast2(WinogradWeights(weight, geo))), 16, geo.TileCount * geo.O);
            var z = Reshape(MatMul(WinogradMatrices.A, m), 4 * geo.TileCount, geo.O);
            var outputs = IndexTable($"winograd-out {geo.N}x{geo.H}x{geo.W}", geo.N * geo.Ho * geo.Wo, 1, geo.WinogradOutputIndices);
            var y = Reshape(Gather(z, outputs), geo.N * geo.Ho * geo.Wo, geo.O);
            if (bias is not null) y = y + bias;
            return [FromRows(y, geo.N, geo.Ho, geo.Wo)];
        });
        return node.Outputs[0];
    }

    /// <summary>V = Bk D [16, N*T, C], the transformed 4x4 input patches, made once per input value (the backward pass reuses it).</summary>
    internal Value WinogradTiles(Value x, ConvGeometry geo)
    {
        if (!_winogradTiles.TryGetValue(x, out var v))
        {
            var rows = Reshape(PaddedRows(x), geo.N * (geo.H * geo.W + 1), geo.C);
            var table = IndexTable($"winograd-in {geo.N}x{geo.H}x{geo.W}", 16, geo.TileCount, geo.WinogradInputIndices);
            var d = Reshape(Gather(rows, table), 16, geo.TileCount * geo.C);
            v = Reshape(MatMul(WinogradMatrices.B, d), 16, geo.TileCount, geo.C);
            _winogradTiles[x] = v;
        }
        return v;
    }

    /// <summary>
    /// U^T = [16, O, C]: Gk times the weight's taps, computed as Gk W^T from the weight's own
    /// layout [O*C, 9]. ONNX Runtime runs each product of a swapped operand (here and for
    /// M = V U) as one FusedMatMul, so no weight is ever permuted: a 4-D permutation of a
    /// 512x512x3x3 weight takes 30-50 ms on this machine.
    /// </summary>
    internal Value WinogradWeights(Value weight, ConvGeometry geo)
        => Reshape(MatMul(WinogradMatrices.G, TransposeLast2(Reshape(weight, geo.O * geo.C, 9))), 16, geo.O, geo.C);

    /// <summary>The constant transform matrices of one builder.</summary>
    internal WinogradConstants WinogradMatrices => _winogradConstants ??= new WinogradConstants(this);

    private WinogradConstants? _winogradConstants;

    /// <summary>
    /// F(2x2, 3x3) transforms as Kronecker squares, forward and transposed:
    /// B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1],
    /// A^T = [1 1 1 0; 0 1 -1 -1].
    /// </summary>
    internal sealed class WinogradConstants(GraphBuilder g)
    {
        private static readonly float[,] Bt = { { 1, 0, -1, 0 }, { 0, 1, 1, 0 }, { 0, -1, 1, 0 }, { 0, 1, 0, -1 } };
        private static readonly float[,] Gm = { { 1, 0, 0 }, { 0.5f, 0.5f, 0.5f }, { 0.5f, -0.5f, 0.5f }, { 0, 0, 1 } };
        private static readonly float[,] At = { { 1, 1, 1, 0 }, { 0, 1, -1, -1 } };

        public Value B { get; } = g.Constant(Kron(Bt, transpose: false));
        /// <summary>Bk^T with a 17th row of zeros: the patch gradient it makes ends in zero rows that col2im's table points at.</summary>
        public Value BTransposedWithZeros { get; } = g.Constant(WithZeroRow(Kron(Bt, transpose: true)));
        public Value G { get; } = g.Constant(Kron(Gm, transpose: false));
        public Value A { get; } = g.Constant(Kron(At, transpose: false));
        public Value ATransposed { get; } = g.Constant(Kron(At, transpose: true));

        private static TensorData WithZeroRow(TensorData m)
        {
            var data = new float[(m.Shape[0] + 1) * m.Shape[1]];
            ((float[])m.Data).CopyTo(data, 0);
            return TensorData.Of(data, m.Shape[0] + 1, m.Shape[1]);
        }

        /// <summary>K[(p,q),(r,c)] = M[p,r] M[q,c] (or its transpose) as a [rows^2, cols^2] tensor.</summary>
        internal static TensorData Kron(float[,] m, bool transpose)
        {
            var (rows, cols) = (m.GetLength(0), m.GetLength(1));
            var k = new float[rows * rows * cols * cols];
            var width = cols * cols;
            for (var p = 0; p < rows; p++)
            for (var q = 0; q < rows; q++)
            for (var r = 0; r < cols; r++)
            for (var c = 0; c < cols; c++)
            {
                var (i, j) = (p * rows + q, r * cols + c);
                var value = m[p, r] * m[q, c];
                if (transpose) k[j * rows * rows + i] = value;
                else k[i * width + j] = value;
            }
            return transpose ? TensorData.Of(k, cols * cols, rows * rows) : TensorData.Of(k, rows * rows, cols * cols);
        }
    }
}

internal static class ConvWinogradGradients
{
    internal static void Register(GradientRegistry r) => r.Register(GraphBuilder.ConvWinogradOp, ConvWinograd);

    /// <summary>
    /// The forward chain transposed. dY's rows go back to tile order by a gather (positions past
    /// an odd edge read a zero row), dM = Ak^T dZ; dW from dU = V^T dM (V kept from the forward
    /// pass) through Gk^T; dX from dV = dM U^T through Bk^T, then each input row sums the
    /// (at most four) patch entries that read it.
    /// </summary>
    private static Value?[] ConvWinograd(GradContext c)
    {
        var g = c.G;
        var k = g.WinogradMatrices;
        var (x, w, dy) = (c.I(0), c.I(1), c.GO0);
        var geo = new ConvGeometry(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], w.Shape[0], 3, 3, 1, 1, 1);
        var nt = geo.TileCount;

        var dyRows = g.Reshape(g.ToRows(dy), geo.N * geo.Ho * geo.Wo, geo.O);
        var inverse = g.IndexTable($"winograd-out-t {geo.N}x{geo.H}x{geo.W}", 4 * nt, 1, geo.WinogradOutputTransposedIndices);
        // Only odd sizes have tile outputs past the edge, which read a zero row.
        var padded = geo.Ho % 2 == 0 && geo.Wo % 2 == 0 ? dyRows : g.Pad(dyRows, [0, 0, 1, 0]);
        var dz = g.Reshape(g.Gather(padded, inverse), 4, nt * geo.O);
        var dm = g.Reshape(g.MatMul(k.ATransposed, dz), 16, nt, geo.O);

        // dU^T = dM^T V [16, O, C]; dW as [O*C, 9] = (dU^T as [16, O*C])^T Gk.
        var v = g.WinogradTiles(x, geo);
        var dut = g.Reshape(g.MatMul(g.TransposeLast2(dm), v), 16, geo.O * geo.C);
        var dw = g.Reshape(g.MatMul(g.TransposeLast2(dut), k.G), geo.O, geo.C, 3, 3);

        var dv = g.Reshape(g.MatMul(dm, g.WinogradWeights(w, geo)), 16, nt * geo.C);
        var dd = g.Reshape(g.MatMul(k.BTransposedWithZeros, dv), 17 * nt, geo.C);
        var (table, width) = geo.WinogradCol2ImIndices();
        var col2im = g.IndexTable($"winograd-col2im {geo.N}x{geo.H}x{geo.W}", geo.N * geo.H * geo.W, width, () => table);
        var gathered = g.Gather(dd, col2im);
        var dx = g.FromRows(g.ReduceSum(gathered, [1]), geo.N, geo.H, geo.W);
        return c.Node.Inputs.Count > 2 ? [dx, dw, g.ReduceSum(dyRows, [0])] : [dx, dw];
    }
}
