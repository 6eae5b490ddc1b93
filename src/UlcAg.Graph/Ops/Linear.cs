using UlcAg.Graph.Autodiff;

namespace UlcAg.Graph;

// Matrix products and their gradient rules.
public sealed partial class GraphBuilder
{
    /// <summary>Numpy-style matrix product of tensors of rank 2 or more (leading dims broadcast).</summary>
    public Value MatMul(Value a, Value b)
    {
        if (a.Rank < 2 || b.Rank < 2) throw new ArgumentException($"MatMul: operands need rank >= 2 ({a}, {b})");
        if (a.Shape[-1] != b.Shape[-2] && a.Shape[-1] != Shape.Dynamic && b.Shape[-2] != Shape.Dynamic)
            throw new ArgumentException($"MatMul: inner dimensions differ ({a}, {b})");
        var batch = Shape.Broadcast(new Shape(a.Shape.Take(a.Rank - 2)), new Shape(b.Shape.Take(b.Rank - 2)));
        var shape = new Shape(batch.Append(a.Shape[-2]).Append(b.Shape[-1]));
        return Op1("MatMul", [a, b], a.Type, shape);
    }

    /// <summary>Y = alpha * op(A) op(B) + beta * C for 2-D A and B; C broadcasts to Y.</summary>
    public Value Gemm(Value a, Value b, Value? c = null, bool transA = false, bool transB = false, double alpha = 1, double beta = 1)
    {
        if (a.Rank != 2 || b.Rank != 2) throw new ArgumentException($"Gemm: operands must be 2-D ({a}, {b})");
        var m = transA ? a.Shape[1] : a.Shape[0];
        var ka = transA ? a.Shape[0] : a.Shape[1];
        var kb = transB ? b.Shape[1] : b.Shape[0];
        var n = transB ? b.Shape[0] : b.Shape[1];
        if (ka != kb && ka != Shape.Dynamic && kb != Shape.Dynamic) throw new ArgumentException($"Gemm: inner dimensions differ ({a}, {b})");
        var attrs = new Dictionary<string, object>();
        if (transA) attrs["transA"] = 1L;
        if (transB) attrs["transB"] = 1L;
        if (alpha != 1) attrs["alpha"] = alpha;
        if (beta != 1) attrs["beta"] = beta;
        return Op1("Gemm", c is null ? [a, b] : [a, b, c], a.Type, new Shape(m, n), attrs);
    }

    /// <summary>
    /// x + scale * y for tensors of one size. Where x is the result of a Gemm without a C input
    /// (seen through Reshapes only) and nothing reads x or its chain yet, that Gemm is emitted
    /// again with y as its C and beta = scale, and the first one is left for the export to prune:
    /// one pass over a weight-sized tensor instead of three. Optimizers add weight decay to a
    /// weight gradient this way.
    /// </summary>
    public Value AddScaled(Value x, Value y, double scale)
    {
        if (x.Shape.Size != y.Shape.Size) throw new ArgumentException($"AddScaled: {x} and {y} differ in size");
        var source = x;
        while (source.Producer is { OpType: "Reshape" } reshape && ReadBy(source) == (ReferenceEquals(source, x) ? 0 : 1)) source = reshape.Inputs[0]!;
        if (source.Producer is { OpType: "Gemm", Composite: null } gemm && gemm.Inputs.Count == 2 && ReadBy(source) == (ReferenceEquals(source, x) ? 0 : 1))
        {
            var (a, b) = (gemm.Inputs[0]!, gemm.Inputs[1]!);
            var folded = Gemm(a, b, Reshape(y, source.Shape), transA: gemm.Int("transA", 0) != 0, transB: gemm.Int("transB", 0) != 0,
                alpha: gemm.Float("alpha", 1), beta: scale);
            return Reshape(folded, x.Shape);
        }
        return x + y * scale;
    }

    /// <summary>How many nodes (or graph outputs) read <paramref name="v"/>.</summary>
    private int ReadBy(Value v)
        => _nodes.Count(n => n.Inputs.Any(i => ReferenceEquals(i, v))) + _outputs.Count(o => ReferenceEquals(o, v));

    /// <summary>A fully connected layer: x [N, in] times weight [out, in] transposed, plus bias [out].</summary>
    public Value Linear(Value x, Value weight, Value? bias) => Gemm(x, weight, bias, transB: true);

    /// <summary>Swaps the last two axes.</summary>
    public Value TransposeLast2(Value x)
    {
        var perm = Enumerable.Range(0, x.Rank).Select(i => (long)i).ToArray();
        (perm[^1], perm[^2]) = (perm[^2], perm[^1]);
        return Transpose(x, perm);
    }
}

internal static class LinearGradients
{
    internal static void Register(GradientRegistry r)
    {
        r.Register("MatMul", c =>
        {
            var g = c.G;
            return [g.MatMul(c.GO0, g.TransposeLast2(c.I(1))), g.MatMul(g.TransposeLast2(c.I(0)), c.GO0)];
        });
        r.Register("Gemm", c =>
        {
            var g = c.G;
            var (a, b, dy) = (c.I(0), c.I(1), c.GO0);
            var ta = c.Node.Int("transA", 0) != 0;
            var tb = c.Node.Int("transB", 0) != 0;
            var alpha = c.Node.Float("alpha", 1);
            var beta = c.Node.Float("beta", 1);
            // Y = alpha A' B' + beta C with A' = op(A), B' = op(B):
            // dA' = alpha dY B'^T and dB' = alpha A'^T dY, transposed back where A or B was.
            var da = ta ? g.Gemm(b, dy, transA: tb, transB: true, alpha: alpha) : g.Gemm(dy, b, transB: !tb, alpha: alpha);
            var db = tb ? g.Gemm(dy, a, transA: true, transB: ta, alpha: alpha) : g.Gemm(a, dy, transA: !ta, alpha: alpha);
            if (c.Node.Inputs.Count < 3) return [da, db];
            Value? dc = c.Node.Inputs[2] is not null ? (beta == 1 ? dy : dy * beta) : null;
            return [da, db, dc];
        });
    }
}
