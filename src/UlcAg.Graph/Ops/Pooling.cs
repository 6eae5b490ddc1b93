using UlcAg.Graph.Autodiff;

namespace UlcAg.Graph;

// Pooling and its gradient rules.
public sealed partial class GraphBuilder
{
    /// <summary>Op type of the max pooling composite that keeps its argmax as window offsets.</summary>
    public const string MaxPoolWindowsOp = "MaxPoolWindows";

    /// <summary>
    /// 2-D max pooling with symmetric padding. With <paramref name="withIndices"/> (to
    /// differentiate it) the argmax of every window is kept for the gradient as its offset from
    /// the window's first (top-left) element, d = dh * W + dw, in the smallest type that holds it
    /// (uint8 for 3x3 windows over maps up to 126 wide, else int32): ONNX MaxPool's int64 flat
    /// NCHW indices are 8 bytes a value (51 MB for ResNet-18's stem at 224x224, batch 32) and
    /// live from the forward pass to the backward pass.
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
        if (!withIndices) return Op("MaxPool", [x], [(x.Type, shape)], attrs).Outputs[0];
        var window = new PoolWindows(x.Shape, kernel, stride, pad, ho, wo);
        var node = Composite(MaxPoolWindowsOp, [x], () =>
        {
            // Pooled as a view [1, N*C, H, W] (the same windows and flat indices), so that the
            // output's buffer (and a ReLU that runs in place on it) has a shape of its own, which no
            // backward tensor takes over (see WinogradTiles).
            var planes = Reshape(x, 1, window.Planes, x.Shape[2], x.Shape[3]);
            var pool = Op("MaxPool", [planes], [(x.Type, new Shape(1, window.Planes, ho, wo)), (DType.Int64, new Shape(1, window.Planes, ho, wo))], attrs);
            // Flat index i = plane * H*W + h * W + w; d = i - plane * H*W - first(window).
            var indices = Reshape(pool.Outputs[1], window.Planes, window.Outputs);
            var offsets = indices - Constant(TensorData.Of(window.PlaneStarts(), window.Planes, 1)) - Constant(TensorData.Of(window.FirstElements(), 1, window.Outputs));
            var kept = Cast(offsets, window.OffsetType);
            // ONNX Runtime runs a node when the first consumer needs it: with only the backward
            // pass reading the offsets, the int64 indices would live until then. Adding 0 made from
            // one offset (exact: y + 0 = y) makes the forward pass consume them.
            var zero = Cast(Slice(kept, [0, 0], [1, 1], [0, 1]), x.Type) * 0.0;
            return [Reshape(pool.Outputs[0] + zero, shape), kept];
        }, attrs);
        return node.Outputs[0];
    }

    /// <summary>Mean over the spatial axes of an NCHW tensor, giving [N, C, 1, 1].</summary>
    public Value GlobalAveragePool(Value x) => Op1("GlobalAveragePool", [x], x.Type, new Shape(x.Shape[0], x.Shape[1], 1, 1));
}

/// <summary>The windows of a square max pooling over NCHW input <paramref name="X"/>, as planes (N*C) of H*W inputs and Ho*Wo outputs.</summary>
internal sealed record PoolWindows(Shape X, int Kernel, int Stride, int Pad, long Ho, long Wo)
{
    public long Planes => X[0] * X[1];
    public long Inputs => X[2] * X[3];
    public long Outputs => Ho * Wo;

    /// <summary>uint8 when the largest offset, (k - 1) W + k - 1, fits; else int32.</summary>
    public DType OffsetType => (Kernel - 1) * (X[3] + 1) < 256 ? DType.UInt8 : DType.Int32;

    /// <summary>plane * H*W, [planes].</summary>
    public long[] PlaneStarts() => Enumerable.Range(0, (int)Planes).Select(p => p * Inputs).ToArray();

    /// <summary>The flat in-plane position (h * W + w) of every window's first element [Ho*Wo], negative where it lies in the padding.</summary>
    public long[] FirstElements()
    {
        var first = new long[Outputs];
        for (var oh = 0; oh < Ho; oh++)
            for (var ow = 0; ow < Wo; ow++)
                first[oh * Wo + ow] = ((oh * Stride) - Pad) * X[3] + (ow * Stride) - Pad;
        return first;
    }
}

internal static class PoolingGradients
{
    internal static void Register(GradientRegistry r)
    {
        r.Register("MaxPool", c => throw new GradientException($"{c.Node}: build MaxPool with withIndices: true to differentiate it"));
        r.Register(GraphBuilder.MaxPoolWindowsOp, c =>
        {
            var g = c.G;
            var x = c.I(0);
            var window = new PoolWindows(x.Shape, (int)c.Node.Ints("kernel_shape", [1, 1])[0], (int)c.Node.Ints("strides", [1, 1])[0],
                (int)c.Node.Ints("pads", [0, 0, 0, 0])[0], c.O(0).Shape[2], c.O(0).Shape[3]);
            // In-plane positions h * W + w as int32 (ScatterElements takes int32 indices) from the offsets.
            var first = g.Constant(TensorData.Of(window.FirstElements().Select(v => (int)v).ToArray(), 1, window.Outputs));
            var positions = g.Cast(c.O(1), DType.Int32) + first;
            // Overlapping windows (3x3, stride 2) can pick one input twice: scatter with 'add'.
            // The zeros are a run-time value (an offset times 0): ONNX Runtime folds an Expand of
            // constants into an initializer as large as the input (103 MB for ResNet-18's stem at
            // 224x224, batch 32) and copies it every step.
            var zero = g.Cast(g.Slice(c.O(1), [0, 0], [1, 1], [0, 1]), x.Type) * 0.0;
            var planes = g.ScatterElementsAdd(g.Expand(zero, new Shape(window.Planes, window.Inputs)), positions, g.Reshape(c.GO0, window.Planes, window.Outputs), 1);
            return [g.Reshape(planes, x.Shape)];
        });
        r.Register("GlobalAveragePool", c =>
        {
            var x = c.I(0);
            return [c.G.Expand(c.GO0 * (1.0 / (x.Shape[2] * x.Shape[3])), x.Shape)];
        });
    }
}
