namespace UlcAg.Graph.Tests;

[TestClass]
public sealed class StructuralGradientTests
{
    [TestMethod] public void ReduceSumAxesKeepDims() => GradCheck.Check([[2, 3, 4]], (g, x) => g.ReduceSum(x[0], [0, 2], keepDims: true) * x[0]);
    [TestMethod] public void ReduceSumAll() => GradCheck.Check([[2, 3]], (g, x) => g.SumAll(x[0] * x[0]));
    [TestMethod] public void ReduceSumSquare() => GradCheck.Check([[2, 3, 4]], (g, x) => g.ReduceSumSquare(x[0], [0, 2], keepDims: true) * x[0]);
    [TestMethod] public void ReduceMeanNoKeepDims() => GradCheck.Check([[2, 3, 4]], (g, x) => g.ReduceMean(x[0], [1]));
    [TestMethod] public void ReduceMeanNegativeAxis() => GradCheck.Check([[2, 3, 4]], (g, x) => g.ReduceMean(x[0], [-1], keepDims: true) * x[0]);
    [TestMethod] public void Reshape() => GradCheck.Check([[2, 3, 4]], (g, x) => g.Reshape(x[0], 4, 6) * g.Reshape(x[0], 4, 6));
    [TestMethod] public void Flatten() => GradCheck.Check([[2, 3, 2, 2]], (g, x) => g.Flatten(x[0]));
    [TestMethod] public void Transpose() => GradCheck.Check([[2, 3, 4]], (g, x) => g.Transpose(x[0], 2, 0, 1) * g.Transpose(x[0], 2, 0, 1));
    [TestMethod] public void SqueezeUnsqueeze() => GradCheck.Check([[3, 1, 4]], (g, x) => g.Unsqueeze(g.Squeeze(x[0], 1), 0, 3));
    [TestMethod] public void Concat() => GradCheck.Check([[2, 3], [2, 5]], (g, x) => { var c = g.Concat([x[0], x[1]], 1); return c * c; });
    [TestMethod] public void Slice() => GradCheck.Check([[4, 6]], (g, x) => g.Slice(x[0], [1, 2], [3, -1], [0, 1]));
    [TestMethod] public void Expand() => GradCheck.Check([[3, 1]], (g, x) => g.Expand(x[0], new Shape(2, 3, 4)));
    [TestMethod] public void Pad() => GradCheck.Check([[2, 3]], (g, x) => g.Pad(x[0], [1, 0, 2, 1]) * 2.0);

    [TestMethod]
    public void Gather()
        => GradCheck.Check([[5, 3]], (g, x) => g.Gather(x[0], g.Constant(TensorData.Of(new long[] { 4, 0, 4, 2 }, 4)), 0));

    [TestMethod] public void MatMul2D() => GradCheck.Check([[3, 4], [4, 5]], (g, x) => g.MatMul(x[0], x[1]));
    [TestMethod] public void MatMulBatchedBroadcast() => GradCheck.Check([[2, 3, 4], [4, 5]], (g, x) => g.MatMul(x[0], x[1]));
    [TestMethod] public void MatMulBroadcastLeft() => GradCheck.Check([[3, 4], [2, 4, 5]], (g, x) => g.MatMul(x[0], x[1]));

    [TestMethod]
    public void GemmAllTransposes()
    {
        foreach (var ta in new[] { false, true })
        {
            foreach (var tb in new[] { false, true })
            {
                long[] a = ta ? [4, 3] : [3, 4];
                long[] b = tb ? [5, 4] : [4, 5];
                GradCheck.Check([a, b, [5]], (g, x) => g.Gemm(x[0], x[1], x[2], ta, tb, alpha: 0.7, beta: 1.5));
            }
        }
    }

    [TestMethod] public void Softmax() => GradCheck.Check([[3, 5]], (g, x) => g.Softmax(x[0]));
    [TestMethod] public void LogSoftmaxAxis0() => GradCheck.Check([[4, 3]], (g, x) => g.LogSoftmax(x[0], 0));

    [TestMethod]
    public void TopKValuesFlowToSelected()
        => GradCheck.Check([[3, 7]], (g, x) => { var (v, _) = g.TopK(x[0], 3, axis: 1); return v * v; });

    [TestMethod]
    public void GatherElements()
        => GradCheck.Check([[3, 4]], (g, x) => g.GatherElements(x[0], g.Constant(TensorData.Of(new long[] { 1, 3, 0, 0, 2, 2 }, 3, 2)), 1));

    [TestMethod]
    public void ScatterElementsAdd()
        => GradCheck.Check([[5], [4]], (g, x) => g.ScatterElementsAdd(x[0], g.Constant(TensorData.Of(new long[] { 1, 1, 4, 0 }, 4)), x[1] * x[1], 0));

    [TestMethod]
    public void MissingRuleFailsWithTheOpName()
    {
        var g = new GraphBuilder();
        var x = g.Input("x", DType.Float, 3);
        var y = g.Op1Public("Erf", x);
        var e = Assert.ThrowsExactly<UlcAg.Graph.Autodiff.GradientException>(() => UlcAg.Graph.Autodiff.Autodiff.Gradients(g.SumAll(y), [x]));
        StringAssert.Contains(e.Message, "'Erf'");
    }
}

internal static class GraphBuilderTestExtensions
{
    public static Value Op1Public(this GraphBuilder g, string op, Value x) => g.Op(op, [x], [(x.Type, x.Shape)]).Outputs[0];
}
