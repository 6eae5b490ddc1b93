using UlcAg.Graph.Autodiff;

namespace UlcAg.Graph;

// Index-driven ops (TopK, GatherElements, ScatterElements) and their gradient rules. The
// selection itself (indices) is never differentiated; gradients flow to the selected values.
public sealed partial class GraphBuilder
{
    /// <summary>The <paramref name="k"/> largest (or smallest) values along <paramref name="axis"/> and their int64 indices.</summary>
    public (Value Values, Value Indices) TopK(Value x, long k, int axis = -1, bool largest = true)
    {
        var a = x.Shape.Axis(axis);
        var dims = x.Shape.ToArray();
        dims[a] = k;
        var shape = new Shape(dims);
        var attrs = new Dictionary<string, object> { ["axis"] = (long)a, ["largest"] = largest ? 1L : 0L, ["sorted"] = 1L };
        var node = Op("TopK", [x, Int64s(k)], [(x.Type, shape), (DType.Int64, shape)], attrs);
        return (node.Outputs[0], node.Outputs[1]);
    }

    public Value GatherElements(Value x, Value indices, int axis)
        => Op1("GatherElements", [x, indices], x.Type, indices.Shape, new Dictionary<string, object> { ["axis"] = (long)x.Shape.Axis(axis) });

    /// <summary>Copy of <paramref name="data"/> with <paramref name="updates"/> added at <paramref name="indices"/> (opset 16+).</summary>
    public Value ScatterElementsAdd(Value data, Value indices, Value updates, int axis)
        => Op1("ScatterElements", [data, indices, updates], data.Type, data.Shape,
            new Dictionary<string, object> { ["axis"] = (long)data.Shape.Axis(axis), ["reduction"] = "add" });

    /// <summary>One-hot rows [N, C] of type <paramref name="type"/> for int64 labels [N].</summary>
    public Value OneHot(Value labels, long classes, DType type = DType.Float)
    {
        var range = Constant(TensorData.Of(Enumerable.Range(0, (int)classes).Select(i => (long)i).ToArray(), 1, classes));
        return Cast(Equal(Unsqueeze(labels, 1), range), type);
    }
}

internal static class SelectionGradients
{
    internal static void Register(GradientRegistry r)
    {
        r.Register("TopK", c =>
        {
            var axis = (int)c.Node.Int("axis", -1);
            var go = c.GO(0);
            return go is null ? [null, null] : [c.G.ScatterElementsAdd(c.G.ZerosLike(c.I(0)), c.O(1), go, axis), null];
        });
        r.Register("GatherElements", c =>
        {
            var axis = (int)c.Node.Int("axis", 0);
            return [c.G.ScatterElementsAdd(c.G.ZerosLike(c.I(0)), c.I(1), c.GO0, axis), null];
        });
        r.Register("ScatterElements", c =>
        {
            if (c.Node.Attributes.GetValueOrDefault("reduction") as string != "add")
                throw new GradientException($"{c.Node}: only ScatterElements with reduction='add' is differentiable here");
            var axis = (int)c.Node.Int("axis", 0);
            return [c.GO0, null, c.G.GatherElements(c.GO0, c.I(1), axis)];
        });
    }
}
