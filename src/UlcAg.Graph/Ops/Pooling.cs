using UlcAg.Graph.Autodiff;

namespace UlcAg.Graph;

// Pooling and its gradient rules.
public sealed partial class GraphBuilder
{
    /// <summary>
    /// 2-D max pooling with symmetric padding. With <paramref name="withIndices"/> the node also
    /// outputs the argmax positions (flat NCHW offsets), which the gradient scatters back to.
    /// </summary>
    public Value MaxPool(Value x, int kernel, int stride, int pad, bool withIndices = true)
    {
        var ho = ConvOut(x.Shape[2], kernel, stride, pad, 1);
        var wo = ConvOut(x.Shape[3], kernel, stride, pad, 1);
        var shape = new Shape(x.Shape[0], x.Shape[1], ho, wo);
        var attrs = new Dictionary<string, object>
        {
            ["kernel_shape"] = new long[] { kernel, kernel },
            ["strides"] = new long[] { stride, stride },
            ["pads"] = new long[] { pad, pad, pad, pad },
        };
        var outputs = withIndices ? new[] { (x.Type, shape), (DType.Int64, shape) } : new[] { (x.Type, shape) };
        return Op("MaxPool", [x], outputs, attrs).Outputs[0];
    }

    /// <summary>Mean over the spatial axes of an NCHW tensor, giving [N, C, 1, 1].</summary>
    public Value GlobalAveragePool(Value x) => Op1("GlobalAveragePool", [x], x.Type, new Shape(x.Shape[0], x.Shape[1], 1, 1));
}

internal static class PoolingGradients
{
    internal static void Register(GradientRegistry r)
    {
        r.Register("MaxPool", c =>
        {
            var g = c.G;
            var x = c.I(0);
            var indices = c.Node.Outputs.Count > 1
                ? c.O(1)
                : throw new GradientException($"{c.Node}: build MaxPool with withIndices: true to differentiate it");
            // Overlapping windows (3x3, stride 2) can pick one input twice: scatter with 'add'.
            // The zeros are a run-time value (the first index times 0, exact in int64): ONNX
            // Runtime folds an Expand of constants into an initializer as large as the input
            // (103 MB for ResNet-18's stem at 224x224, batch 32) and copies it every step.
            var flatIndices = g.Reshape(indices, indices.Shape.Size);
            var zero = g.Cast(g.Slice(flatIndices, [0], [1], [0]) * 0, x.Type);
            var flat = g.ScatterElementsAdd(g.Expand(zero, new Shape(x.Shape.Size)), flatIndices, g.Reshape(c.GO0, c.GO0.Shape.Size), 0);
            return [g.Reshape(flat, x.Shape)];
        });
        r.Register("GlobalAveragePool", c =>
        {
            var x = c.I(0);
            return [c.G.Expand(c.GO0 * (1.0 / (x.Shape[2] * x.Shape[3])), x.Shape)];
        });
    }
}
