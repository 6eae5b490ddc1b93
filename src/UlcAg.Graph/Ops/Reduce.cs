using UlcAg.Graph.Autodiff;

namespace UlcAg.Graph;

// Reductions over axes, and their gradient rules (broadcast the output gradient back).
public sealed partial class GraphBuilder
{
    /// <summary>Sum over <paramref name="axes"/> (all axes when empty).</summary>
    public Value ReduceSum(Value x, long[] axes, bool keepDims = false)
    {
        var (norm, shape) = ReducedShape(x, axes, keepDims);
        // Opset 13+: axes are an input.
        return Op1("ReduceSum", [x, Int64s(norm)], x.Type, shape, new Dictionary<string, object> { ["keepdims"] = keepDims ? 1L : 0L });
    }

    /// <summary>Mean over <paramref name="axes"/> (all axes when empty).</summary>
    public Value ReduceMean(Value x, long[] axes, bool keepDims = false)
    {
        var (norm, shape) = ReducedShape(x, axes, keepDims);
        // Opset < 18: axes are an attribute.
        return Op1("ReduceMean", [x], x.Type, shape, new Dictionary<string, object> { ["axes"] = norm, ["keepdims"] = keepDims ? 1L : 0L });
    }

    /// <summary>Sum of squares over <paramref name="axes"/> (all axes when empty), in one pass without materializing the squares.</summary>
    public Value ReduceSumSquare(Value x, long[] axes, bool keepDims = false)
    {
        var (norm, shape) = ReducedShape(x, axes, keepDims);
        // Opset < 18: axes are an attribute.
        return Op1("ReduceSumSquare", [x], x.Type, shape, new Dictionary<string, object> { ["axes"] = norm, ["keepdims"] = keepDims ? 1L : 0L });
    }

    /// <summary>Maximum over <paramref name="axes"/>; used for numerical stabilization, not differentiated.</summary>
    public Value ReduceMax(Value x, long[] axes, bool keepDims = false)
    {
        var (norm, shape) = ReducedShape(x, axes, keepDims);
        return Op1("ReduceMax", [x], x.Type, shape, new Dictionary<string, object> { ["axes"] = norm, ["keepdims"] = keepDims ? 1L : 0L });
    }

    /// <summary>Sum of all elements, as a scalar.</summary>
    public Value SumAll(Value x) => ReduceSum(x, [], keepDims: false);

    /// <summary>Mean of all elements, as a scalar.</summary>
    public Value MeanAll(Value x) => ReduceMean(x, [], keepDims: false);

    private static (long[] Axes, Shape Shape) ReducedShape(Value x, long[] axes, bool keepDims)
    {
        var norm = axes.Length == 0 ? Enumerable.Range(0, x.Rank).Select(a => (long)a).ToArray() : axes.Select(a => (long)x.Shape.Axis((int)a)).Distinct().Order().ToArray();
        var dims = new List<long>();
        for (var i = 0; i < x.Rank; i++)
        {
            if (Array.IndexOf(norm, (long)i) < 0) dims.Add(x.Shape[i]);
            else if (keepDims) dims.Add(1);
        }
        return (norm, new Shape(dims));
    }

    /// <summary>Shape of <paramref name="x"/> with <paramref name="axes"/> set to 1.</summary>
    internal static Shape KeepDimsShape(Shape x, long[] axes)
    {
        var dims = x.ToArray();
        foreach (var a in axes) dims[x.Axis((int)a)] = 1;
        return new Shape(dims);
    }
}

internal static class ReduceGradients
{
    internal static void Register(GradientRegistry r)
    {
        r.Register("ReduceSum", c =>
        {
            var axes = ConstantAxes(c.Node.Inputs[1]!, c.I(0).Rank);
            return [c.G.Expand(c.G.Reshape(c.GO0, GraphBuilder.KeepDimsShape(c.I(0).Shape, axes)), c.I(0).Shape)];
        });
        r.Register("ReduceMean", c =>
        {
            var x = c.I(0);
            var axes = c.Node.Ints("axes", []);
            if (axes.Length == 0) axes = Enumerable.Range(0, x.Rank).Select(a => (long)a).ToArray();
            var count = axes.Aggregate(1L, (n, a) => n * x.Shape[(int)a]);
            var g = c.G.Reshape(c.GO0 * (1.0 / count), GraphBuilder.KeepDimsShape(x.Shape, axes));
            return [c.G.Expand(g, x.Shape)];
        });
        // d/dx sum(x^2) = 2 x dy, with dy broadcast back over the reduced axes.
        r.Register("ReduceSumSquare", c =>
        {
            var x = c.I(0);
            var axes = c.Node.Ints("axes", []);
            if (axes.Length == 0) axes = Enumerable.Range(0, x.Rank).Select(a => (long)a).ToArray();
            return [x * c.G.Reshape(c.GO0 * 2.0, GraphBuilder.KeepDimsShape(x.Shape, axes))];
        });
        r.Forbid("ReduceMax", "use it only on stop-gradient paths (stabilizers); its subgradient is ambiguous at ties");
    }

    private static long[] ConstantAxes(Value axes, int rank)
    {
        if (axes.Graph.ConstantData(axes)?.Data is not long[] values) throw new GradientException($"ReduceSum axes '{axes.Name}' must be a constant to differentiate");
        return values.Length == 0 ? Enumerable.Range(0, rank).Select(a => (long)a).ToArray() : values;
    }
}
