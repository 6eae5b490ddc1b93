using UlcAg.Graph.Autodiff;

namespace UlcAg.Graph;

// 2-D convolution and its gradient rules.
public sealed partial class GraphBuilder
{
    /// <summary>
    /// 2-D convolution, NCHW input, OIHW weight, symmetric padding (the CUDA provider falls back
    /// to the CPU for ConvTranspose with asymmetric pads, which the backward pass uses).
    /// </summary>
    public Value Conv(Value x, Value weight, Value? bias = null, int stride = 1, int pad = 0, int dilation = 1)
    {
        if (x.Rank != 4 || weight.Rank != 4) throw new ArgumentException($"Conv: expects NCHW input and OIHW weight ({x}, {weight})");
        if (x.Shape[1] != weight.Shape[1]) throw new ArgumentException($"Conv: input has {x.Shape[1]} channels, weight expects {weight.Shape[1]}");
        if (ConvLowering == ConvLowering.NhwcGemm && ConstantData(weight) is null && x.Shape.IsStatic && x.Shape[0] > 1
            && x.Shape[0] * ConvOut(x.Shape[2], weight.Shape[2], stride, pad, dilation) * ConvOut(x.Shape[3], weight.Shape[3], stride, pad, dilation) >= ConvLoweringMinPositions)
            return ConvAsGemm(x, weight, bias, stride, pad, dilation);
        var ho = ConvOut(x.Shape[2], weight.Shape[2], stride, pad, dilation);
        var wo = ConvOut(x.Shape[3], weight.Shape[3], stride, pad, dilation);
        var attrs = new Dictionary<string, object>
        {
            ["strides"] = new long[] { stride, stride },
            ["pads"] = new long[] { pad, pad, pad, pad },
            ["dilations"] = new long[] { dilation, dilation },
        };
        return NativeConv(x, weight, bias, ho, wo, attrs);
    }

    /// <summary>An ONNX Conv node with the given strides, pads and dilations.</summary>
    private Value NativeConv(Value x, Value weight, Value? bias, long ho, long wo, IReadOnlyDictionary<string, object> attributes)
    {
        var attrs = new Dictionary<string, object>(attributes) { ["kernel_shape"] = new[] { weight.Shape[2], weight.Shape[3] } };
        return Op1("Conv", bias is null ? [x, weight] : [x, weight, bias], x.Type, new Shape(x.Shape[0], weight.Shape[0], ho, wo), attrs);
    }

    /// <summary>Transposed convolution with symmetric pads; output padding reaches an exact size.</summary>
    public Value ConvTranspose(Value dy, Value weight, int stride, int pad, int dilation, long outputPaddingH, long outputPaddingW)
    {
        var (kh, kw) = (weight.Shape[2], weight.Shape[3]);
        var h = stride * (dy.Shape[2] - 1) + outputPaddingH + (kh - 1) * dilation + 1 - 2 * pad;
        var w = stride * (dy.Shape[3] - 1) + outputPaddingW + (kw - 1) * dilation + 1 - 2 * pad;
        var attrs = new Dictionary<string, object>
        {
            ["kernel_shape"] = new[] { kh, kw },
            ["strides"] = new long[] { stride, stride },
            ["pads"] = new long[] { pad, pad, pad, pad },
            ["dilations"] = new long[] { dilation, dilation },
            ["output_padding"] = new[] { outputPaddingH, outputPaddingW },
        };
        return Op1("ConvTranspose", [dy, weight], dy.Type, new Shape(dy.Shape[0], weight.Shape[1], h, w), attrs);
    }

    internal static long ConvOut(long size, long kernel, long stride, long pad, long dilation)
        => size == Shape.Dynamic ? Shape.Dynamic : (size + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
}

internal static class ConvGradients
{
    internal static void Register(GradientRegistry r) => r.Register("Conv", Conv);

    private static Value?[] Conv(GradContext c)
    {
        var g = c.G;
        var (x, w, dy) = (c.I(0), c.I(1), c.GO0);
        var stride = (int)c.Node.Ints("strides", [1, 1])[0];
        var pad = (int)c.Node.Ints("pads", [0, 0, 0, 0])[0];
        var dil = (int)c.Node.Ints("dilations", [1, 1])[0];
        var (kh, kw) = (w.Shape[2], w.Shape[3]);

        var dx = InputGradient(g, x, w, dy, stride, pad, dil);
        var dw = WeightGradient(g, x, dy, kh, kw, stride, pad, dil);
        return c.Node.Inputs.Count > 2 ? [dx, dw, g.ReduceSum(dy, [0, 2, 3])] : [dx, dw];
    }

    /// <summary>
    /// dX. With stride 1 it is a plain convolution of dY with the spatially flipped, in/out
    /// swapped kernel and padding d(k-1)-p, which ONNX Runtime runs much faster than
    /// ConvTranspose. Otherwise a transposed convolution with the forward weights, whose
    /// output_padding recovers the rows/columns that the forward stride dropped (odd sizes).
    /// </summary>
    internal static Value InputGradient(GraphBuilder g, Value x, Value w, Value dy, int stride, int pad, int dil)
    {
        var (kh, kw) = (w.Shape[2], w.Shape[3]);
        if (stride == 1 && kh == kw && dil * (kh - 1) - pad >= 0)
        {
            var flipped = g.Slice(w, [-1, -1], [long.MinValue, long.MinValue], [2, 3], [-1, -1]);
            return g.Conv(dy, g.Transpose(flipped, 1, 0, 2, 3), null, 1, (int)(dil * (kh - 1) - pad), dil);
        }
        var baseH = stride * (dy.Shape[2] - 1) + (kh - 1) * dil + 1 - 2 * pad;
        var baseW = stride * (dy.Shape[3] - 1) + (kw - 1) * dil + 1 - 2 * pad;
        return g.ConvTranspose(dy, w, stride, pad, dil, x.Shape[2] - baseH, x.Shape[3] - baseW);
    }

    /// <summary>
    /// dW[o, c, i, j] = sum over n, p of dY[n, o, p] * Xpad[n, c, p*s + (i, j)*d]: one GEMM per
    /// kernel tap on a strided slice of the padded input.
    /// <code>
    ///   Xpad [N,C,Hp,Wp] --transpose--> [C,N,Hp,Wp] --slice tap (i,j), step s--> [C, N*Ho*Wo]
    ///   dY   [N,O,Ho,Wo] --transpose--> [O, N*Ho*Wo]
    ///   dW[:, :, i, j] = dY' x slice^T (all taps in one GEMM)                    [O, C]
    /// </code>
    /// </summary>
    private static Value WeightGradient(GraphBuilder g, Value x, Value dy, long kh, long kw, int stride, int pad, int dil)
    {
        var (n, ch) = (x.Shape[0], x.Shape[1]);
        var (o, ho, wo) = (dy.Shape[1], dy.Shape[2], dy.Shape[3]);
        var positions = n * ho * wo;
        var xt = g.Transpose(g.Pad(x, [0, 0, pad, pad, 0, 0, pad, pad]), 1, 0, 2, 3);
        var dyt = g.Reshape(g.Transpose(dy, 1, 0, 2, 3), o, positions);
        var taps = new List<Value>();
        for (long i = 0; i < kh; i++)
        {
            for (long j = 0; j < kw; j++)
            {
                var slice = g.Slice(xt, [i * dil, j * dil], [i * dil + (ho - 1) * stride + 1, j * dil + (wo - 1) * stride + 1], [2, 3], [stride, stride]);
                taps.Add(g.Reshape(slice, ch, positions));
            }
        }
        // One GEMM over all taps: [O, P] x [K*K*C, P]^T = [O, K*K*C], reordered to OIHW.
        var dw = g.Gemm(dyt, g.Concat(taps, 0), transB: true);
        return g.Reshape(g.Transpose(g.Reshape(dw, o, kh * kw, ch), 0, 2, 1), o, ch, kh, kw);
    }
}
