using UlcAg.Runtime;

namespace UlcAg.Graph.Tests;

/// <summary>3x3 stride-1 convolutions as Winograd F(2x2, 3x3) (<see cref="GraphBuilder.ConvLoweringWinograd"/>).</summary>
[TestClass]
public sealed class ConvWinogradTests
{
    private static float Small(Random r) => ConvGemmTests.Small(r);

    // Winograd is the default for these shapes once convolutions are lowered.
    private static GraphBuilder Lower(GraphBuilder g) => ConvGemmTests.Lower(g);

    // Even and odd sizes (odd ones leave tile outputs past the edge), a single pixel, non-square
    // maps, and more or fewer filters than input channels.
    [TestMethod]
    [DataRow(1, 1, 16, 4)]
    [DataRow(2, 2, 16, 4)]
    [DataRow(3, 3, 16, 4)]
    [DataRow(4, 7, 16, 5)]
    [DataRow(7, 4, 16, 24)]
    [DataRow(8, 8, 20, 4)]
    public void Gradients(int h, int w, int channels, int filters)
        => GradCheck.Check([[2, channels, h, w], [filters, channels, 3, 3], [filters]], (g, x) =>
        {
            var y = Lower(g).Conv(x[0], x[1], x[2], 1, 1);
            Assert.AreEqual(GraphBuilder.ConvWinogradOp, y.Producer!.Composite?.OpType);
            return y;
        }, init: Small);

    // Two Winograd convolutions in a row: the second one's dX flows into the first one's rule.
    // (A smooth activation: finite differences along a random direction cross ReLU's kinks.)
    [TestMethod]
    public void ChainedGradients()
        => GradCheck.Check([[3, 16, 5, 6], [16, 16, 3, 3], [8, 16, 3, 3]], (g, x) =>
        {
            var h = g.Sigmoid(Lower(g).Conv(x[0], x[1], null, 1, 1));
            return g.Conv(h, x[2], null, 1, 1);
        }, init: Small);

    [TestMethod]
    [DataRow(6, 6, 16, 8)]
    [DataRow(7, 7, 32, 8)]
    [DataRow(5, 9, 16, 40)]
    [DataRow(1, 2, 16, 3)]
    public void ForwardEqualsOnnxConv(int h, int w, int channels, int filters)
    {
        var rng = new Random(h * 31 + w);
        var x = Enumerable.Range(0, 3 * channels * h * w).Select(_ => Small(rng)).ToArray();
        var weight = Enumerable.Range(0, filters * channels * 9).Select(_ => Small(rng)).ToArray();
        float[] Run(ConvLowering lowering)
        {
            var g = Lower(new GraphBuilder());
            g.ConvLowering = lowering;
            var y = g.Conv(g.Input("x", DType.Float, 3, channels, h, w), g.Input("w", DType.Float, filters, channels, 3, 3), null, 1, 1);
            g.Output(y, "y");
            using var runner = new ModelRunner(g);
            return (float[])runner.Run(new Dictionary<string, (Array, long[])> { ["x"] = (x, [3, channels, h, w]), ["w"] = (weight, [filters, channels, 3, 3]) })["y"];
        }
        var expected = Run(ConvLowering.None);
        var actual = Run(ConvLowering.NhwcGemm);
        Assert.HasCount(expected.Length, actual);
        for (var i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], actual[i], 1e-5, $"y[{i}]");
    }

    // Only 3x3, stride 1, padding 1, dilation 1, 16 or more input channels.
    [TestMethod]
    [DataRow(3, 1, 1, 1, 16, true)]
    [DataRow(3, 1, 1, 1, 3, false)]
    [DataRow(3, 2, 1, 1, 16, false)]
    [DataRow(3, 1, 2, 2, 16, false)]
    [DataRow(3, 1, 0, 1, 16, false)]
    [DataRow(1, 1, 0, 1, 16, false)]
    public void TakesOnlyThreeByThreeStrideOne(int k, int stride, int pad, int dilation, int channels, bool winograd)
    {
        var g = Lower(new GraphBuilder());
        var y = g.Conv(g.Input("x", DType.Float, 2, channels, 8, 8), g.Input("w", DType.Float, 4, channels, k, k), null, stride, pad, dilation);
        Assert.AreEqual(winograd, y.Producer!.Composite?.OpType == GraphBuilder.ConvWinogradOp);
        g.ConvLoweringWinograd = false;
        y = g.Conv(g.Input("x2", DType.Float, 2, channels, 8, 8), g.Input("w2", DType.Float, 4, channels, k, k), null, stride, pad, dilation);
        Assert.AreNotEqual(GraphBuilder.ConvWinogradOp, y.Producer!.Composite?.OpType, "switched off");
    }

    // The weight is never permuted as a 4-D tensor (slow in ONNX Runtime at 512x512x3x3): its
    // transforms read it as [O*C, 9], forward and backward, and dW comes out in that layout.
    [TestMethod]
    public void WeightsAreNeverPermuted()
    {
        var g = Lower(new GraphBuilder());
        var x = g.Input("x", DType.Float, 2, 16, 6, 6);
        var w = g.Input("w", DType.Float, 16, 16, 3, 3);
        var loss = g.SumAll(g.Conv(x, w, null, 1, 1));
        var grads = Autodiff.Autodiff.Gradients(loss, [x, w]);
        g.Output(grads[1], "dw");
        g.Output(grads[0], "dx");
        var fourD = g.ToModel().Graph.Node
            .Where(n => n.OpType == "Transpose" && n.Attribute.Single(a => a.Name == "perm").Ints.Count == 4)
            .Select(n => $"{n.Input[0]} -> {n.Output[0]}")
            .ToArray();
        // Only the activations' layout transposes remain: x to rows, dY (from the sum) to rows,
        // dx back to NCHW.
        Assert.HasCount(3, fourD, string.Join(", ", fourD));
        Assert.IsFalse(fourD.Any(t => t.StartsWith("w ", StringComparison.Ordinal)), string.Join(", ", fourD));
    }
}
