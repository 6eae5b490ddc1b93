using UlcAg.Runtime;

namespace UlcAg.Graph.Tests;

[TestClass]
public sealed class MaxPoolTests
{
    // The gradient from the kept window offsets against ONNX MaxPool's int64 flat indices
    // scattered back (the rule before the offsets), bit for bit, with ties (values from five
    // levels) and with windows that overlap, touch or read the padding; W = 131 needs int32 offsets.
    [TestMethod]
    [DataRow(2, 3, 8, 8, 3, 2, 1)]
    [DataRow(2, 3, 7, 9, 3, 2, 1)]
    [DataRow(1, 2, 5, 131, 3, 2, 1)]
    [DataRow(2, 2, 6, 6, 2, 2, 0)]
    [DataRow(1, 2, 9, 9, 3, 1, 1)]
    public void GradientMatchesScatterOfFlatIndices(int n, int c, int h, int w, int k, int stride, int pad)
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DType.Float, n, c, h, w);
        var y = g.MaxPool(x, k, stride, pad);
        var dy = g.Input("dy", DType.Float, y.Shape.ToArray());
        var dx = Autodiff.Autodiff.Gradients(g.SumAll(y * dy), [x])[0];

        var attrs = new Dictionary<string, object>
        {
            ["kernel_shape"] = new long[] { k, k },
            ["strides"] = new long[] { stride, stride },
            ["pads"] = new long[] { pad, pad, pad, pad },
        };
        var reference = g.Op("MaxPool", [x], [(DType.Float, y.Shape), (DType.Int64, y.Shape)], attrs);
        var size = x.Shape.Size;
        var scattered = g.ScatterElementsAdd(g.Expand(g.Scalar(0), new Shape(size)), g.Reshape(reference.Outputs[1], y.Shape.Size), g.Reshape(dy, y.Shape.Size), 0);
        g.Output(y, "y");
        g.Output(reference.Outputs[0], "y_ref");
        g.Output(dx, "dx");
        g.Output(g.Reshape(scattered, x.Shape), "dx_ref");

        var rng = new Random(h * w + k);
        var xs = Enumerable.Range(0, (int)size).Select(_ => (float)rng.Next(5)).ToArray();
        var dys = Enumerable.Range(0, (int)y.Shape.Size).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        using var runner = new ModelRunner(g);
        var r = runner.Run(new Dictionary<string, (Array, long[])> { ["x"] = (xs, x.Shape.ToArray()), ["dy"] = (dys, y.Shape.ToArray()) });
        CollectionAssert.AreEqual((float[])r["y_ref"], (float[])r["y"], "pooled values");
        CollectionAssert.AreEqual((float[])r["dx_ref"], (float[])r["dx"], "gradient");
    }

    // ResNet-18's stem at 224x224 keeps one byte per pooled value instead of eight.
    [TestMethod]
    [DataRow(112, DType.UInt8)]
    [DataRow(126, DType.UInt8)]
    [DataRow(127, DType.Int32)]
    public void OffsetsUseTheSmallestType(int width, DType expected)
    {
        var g = new GraphBuilder();
        var y = g.MaxPool(g.Input("x", DType.Float, 32, 64, width, width), 3, 2, 1);
        var pool = y.Producer!.Composite!;
        Assert.AreEqual(GraphBuilder.MaxPoolWindowsOp, pool.OpType);
        Assert.AreEqual(expected, pool.Outputs[1].Type);
    }

    [TestMethod]
    public void WithoutIndicesItIsNotDifferentiable()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DType.Float, 1, 1, 4, 4);
        var e = Assert.ThrowsExactly<Autodiff.GradientException>(() => Autodiff.Autodiff.Gradients(g.SumAll(g.MaxPool(x, 2, 2, 0, withIndices: false)), [x]));
        StringAssert.Contains(e.Message, "withIndices");
    }
}
