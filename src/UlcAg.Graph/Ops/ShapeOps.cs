using UlcAg.Graph.Autodiff;

namespace UlcAg.Graph;

// Ops that move elements without arithmetic, and their gradient rules.
public sealed partial class GraphBuilder
{
    /// <summary>Reshape to a static shape (one -1 may stand for the remaining size; 0 copies the input's dim).</summary>
    public Value Reshape(Value x, Shape shape)
    {
        if (x.Shape.Equals(shape)) return x;
        return Op1("Reshape", [x, Int64s(shape.ToArray())], x.Type, ResolveReshape(x.Shape, shape.ToArray()));
    }

    public Value Reshape(Value x, params long[] shape) => Reshape(x, new Shape(shape.Select(d => d == -1 ? Shape.Dynamic : d)));

    /// <summary>Flattens to 2-D: dims before <paramref name="axis"/> and dims from it.</summary>
    public Value Flatten(Value x, int axis = 1)
    {
        axis = axis == x.Rank ? axis : x.Shape.Axis(axis);
        long Prod(IEnumerable<long> d) => d.Any(v => v == Shape.Dynamic) ? Shape.Dynamic : d.Aggregate(1L, (a, b) => a * b);
        var shape = new Shape(Prod(x.Shape.Take(axis)), Prod(x.Shape.Skip(axis)));
        return Op1("Flatten", [x], x.Type, shape, new Dictionary<string, object> { ["axis"] = (long)axis });
    }

    public Value Transpose(Value x, params long[] perm)
    {
        if (perm.Length != x.Rank) throw new ArgumentException($"Transpose: permutation of {perm.Length} axes for {x}");
        var shape = new Shape(perm.Select(p => x.Shape[(int)p]));
        return Op1("Transpose", [x], x.Type, shape, new Dictionary<string, object> { ["perm"] = perm });
    }

    public Value Squeeze(Value x, params long[] axes)
    {
        var norm = axes.Select(a => x.Shape.Axis((int)a)).ToHashSet();
        foreach (var a in norm)
        {
            if (x.Shape[a] != 1) throw new ArgumentException($"Squeeze: axis {a} of {x} is not 1");
        }
        var shape = new Shape(x.Shape.Where((_, i) => !norm.Contains(i)));
        return Op1("Squeeze", [x, Int64s(norm.Order().Select(a => (long)a).ToArray())], x.Type, shape);
    }

    public Value Unsqueeze(Value x, params long[] axes)
    {
        var rank = x.Rank + axes.Length;
        var norm = axes.Select(a => a < 0 ? a + rank : a).Order().ToArray();
        var dims = new List<long>(x.Shape);
        foreach (var a in norm) dims.Insert((int)a, 1);
        return Op1("Unsqueeze", [x, Int64s(norm)], x.Type, new Shape(dims));
    }

    public Value Concat(IReadOnlyList<Value> values, int axis)
    {
        if (values.Count == 1) return values[0];
        var a = values[0].Shape.Axis(axis);
        var dims = values[0].Shape.ToArray();
        dims[a] = values.Sum(v => v.Shape[a]);
        return Op1("Concat", values.ToArray(), values[0].Type, new Shape(dims), new Dictionary<string, object> { ["axis"] = (long)a });
    }

    /// <summary>Slice along <paramref name="axes"/> (ONNX semantics, ends clamped).</summary>
    public Value Slice(Value x, long[] starts, long[] ends, long[] axes, long[]? steps = null)
    {
        steps ??= axes.Select(_ => 1L).ToArray();
        var dims = x.Shape.ToArray();
        for (var i = 0; i < axes.Length; i++)
        {
            var a = x.Shape.Axis((int)axes[i]);
            var n = dims[a];
            if (steps[i] == 0) throw new ArgumentException("Slice: a step must not be zero");
            if (steps[i] > 0)
            {
                var s = Math.Clamp(starts[i] < 0 ? starts[i] + n : starts[i], 0, n);
                var e = Math.Clamp(ends[i] < 0 ? ends[i] + n : ends[i], 0, n);
                dims[a] = e > s ? (e - s + steps[i] - 1) / steps[i] : 0;
            }
            else
            {
                // ONNX clamps a negative-step start to [0, n-1] and the end to [-1, n-1].
                var s = Math.Clamp(starts[i] < 0 ? starts[i] + n : starts[i], 0, n - 1);
                var e = ends[i] == long.MinValue ? -1 : Math.Clamp(ends[i] < 0 ? ends[i] + n : ends[i], -1, n - 1);
                dims[a] = s > e ? (s - e - steps[i] - 1) / -steps[i] : 0;
            }
        }
        return Op1("Slice", [x, Int64s(starts), Int64s(ends), Int64s(axes), Int64s(steps)], x.Type, new Shape(dims));
    }

    /// <summary>Broadcasts <paramref name="x"/> to <paramref name="shape"/>.</summary>
    public Value Expand(Value x, Shape shape)
    {
        if (x.Shape.Equals(shape)) return x;
        return Op1("Expand", [x, Int64s(shape.ToArray())], x.Type, Shape.Broadcast(x.Shape, shape));
    }

    /// <summary>Constant-mode padding; <paramref name="pads"/> is [begin_0.., end_0..] as in ONNX.</summary>
    public Value Pad(Value x, long[] pads, double value = 0)
    {
        if (pads.All(p => p == 0)) return x;
        var dims = x.Shape.ToArray();
        for (var i = 0; i < dims.Length; i++) dims[i] += pads[i] + pads[i + dims.Length];
        return Op1("Pad", [x, Int64s(pads), Scalar(value, x.Type)], x.Type, new Shape(dims));
    }

    /// <summary>Gathers slices of <paramref name="x"/> along <paramref name="axis"/> at int64 <paramref name="indices"/>.</summary>
    public Value Gather(Value x, Value indices, int axis = 0)
    {
        var a = x.Shape.Axis(axis);
        var dims = x.Shape.Take(a).Concat(indices.Shape).Concat(x.Shape.Skip(a + 1));
        return Op1("Gather", [x, indices], x.Type, new Shape(dims), new Dictionary<string, object> { ["axis"] = (long)a });
    }

    /// <summary>A tensor of zeros shaped like <paramref name="like"/> (a broadcast constant).</summary>
    public Value ZerosLike(Value like) => Expand(Scalar(0, like.Type), like.Shape);

    private static Shape ResolveReshape(Shape input, long[] target)
    {
        var dims = (long[])target.Clone();
        for (var i = 0; i < dims.Length; i++)
        {
            if (dims[i] == 0) dims[i] = input[i];
        }
        var unknown = Array.IndexOf(dims, -1L);
        if (unknown >= 0 && input.IsStatic)
        {
            var known = dims.Where((_, i) => i != unknown).Aggregate(1L, (a, b) => a * b);
            dims[unknown] = input.Size / known;
        }
        var result = new Shape(dims);
        if (input.IsStatic && result.IsStatic && result.Size != input.Size)
            throw new ArgumentException($"Reshape: cannot reshape {input} to {result}");
        return result;
    }
}

internal static class ShapeGradients
{
    internal static void Register(GradientRegistry r)
    {
        GradientRule back = c => [c.G.Reshape(c.GO0, c.I(0).Shape)];
        r.Register("Reshape", back);
        r.Register("Flatten", back);
        r.Register("Squeeze", back);
        r.Register("Unsqueeze", back);
        r.Register("Expand", c => [c.GO0, null]);
        r.Register("Transpose", c =>
        {
            var perm = c.Node.Ints("perm", []);
            var inverse = new long[perm.Length];
            for (var i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
            return [c.G.Transpose(c.GO0, inverse)];
        });
        r.Register("Concat", c =>
        {
            var axis = c.Node.Int("axis", 0);
            long offset = 0;
            var grads = new Value?[c.Node.Inputs.Count];
            for (var i = 0; i < grads.Length; i++)
            {
                var n = c.I(i).Shape[(int)axis];
                grads[i] = c.G.Slice(c.GO0, [offset], [offset + n], [axis]);
                offset += n;
            }
            return grads;
        });
        r.Register("Slice", c =>
        {
            // The gradient of a unit-step slice is the output gradient zero-padded back to the input's extent.
            var x = c.I(0);
            var starts = ConstInts(c.Node.Inputs[1]!);
            var ends = ConstInts(c.Node.Inputs[2]!);
            var axes = ConstInts(c.Node.Inputs[3]!);
            var steps = c.Node.Inputs.Count > 4 ? ConstInts(c.Node.Inputs[4]!) : axes.Select(_ => 1L).ToArray();
            if (steps.Any(s => s != 1)) throw new GradientException($"{c.Node}: gradient of a strided Slice is not supported");
            var pads = new long[2 * x.Rank];
            for (var i = 0; i < axes.Length; i++)
            {
                var a = x.Shape.Axis((int)axes[i]);
                var n = x.Shape[a];
                var s = Math.Clamp(starts[i] < 0 ? starts[i] + n : starts[i], 0, n);
                pads[a] = s;
                pads[a + x.Rank] = n - s - c.O(0).Shape[a];
            }
            return [c.G.Pad(c.GO0, pads), null, null, null, null];
        });
        r.Register("Pad", c =>
        {
            var x = c.I(0);
            var pads = ConstInts(c.Node.Inputs[1]!);
            var axes = Enumerable.Range(0, x.Rank).Select(a => (long)a).ToArray();
            return [c.G.Slice(c.GO0, pads.Take(x.Rank).ToArray(), axes.Select(a => pads[a] + x.Shape[(int)a]).ToArray(), axes), null, null];
        });
        r.Register("Gather", c =>
        {
            // Scatter-add the gradient rows back to the gathered positions.
            var x = c.I(0);
            var indices = c.I(1);
            var axis = (int)c.Node.Int("axis", 0);
            if (indices.Rank != 1) throw new GradientException($"{c.Node}: gradient needs 1-D indices");
            var shape = new long[c.GO0.Rank];
            Array.Fill(shape, 1);
            shape[axis] = indices.Shape[0];
            var idx = c.G.Expand(c.G.Reshape(indices, new Shape(shape)), c.GO0.Shape);
            return [c.G.ScatterElementsAdd(c.G.ZerosLike(x), idx, c.GO0, axis), null];
        });
    }

    internal static long[] ConstInts(Value v)
    {
        return v.Graph.ConstantData(v)?.Data as long[] ?? throw new GradientException($"'{v.Name}' must be a constant int64 tensor to differentiate");
    }
}
