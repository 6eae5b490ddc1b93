using UlcAg.Runtime;

namespace UlcAg.Graph.Tests;

/// <summary>3x3 stride-1 convolutions as Winograd F(m x m, 3x3) (<see cref="GraphBuilder.ConvLoweringWinogradTile"/>).</summary>
[TestClass]
public sealed class ConvWinogradTests
{
    private static float Small(Random r) => ConvGemmTests.Small(r);

    private static GraphBuilder Lower(GraphBuilder g, int tile)
    {
        ConvGemmTests.Lower(g).ConvLoweringWinogradTile = tile;
        return g;
    }

    [TestMethod]
    public void FourByFourTilesAreTheDefault() => Assert.AreEqual(4, new GraphBuilder().ConvLoweringWinogradTile);

    // Sizes that are multiples of the tile and ones that leave tile outputs past the edge, a
    // single pixel, non-square maps, and more or fewer filters than input channels.
    [TestMethod]
    [DataRow(2, 1, 1, 16, 4)]
    [DataRow(2, 2, 2, 16, 4)]
    [DataRow(2, 3, 3, 16, 4)]
    [DataRow(2, 4, 7, 16, 5)]
    [DataRow(2, 7, 4, 16, 24)]
    [DataRow(2, 8, 8, 20, 4)]
    [DataRow(4, 1, 1, 16, 4)]
    [DataRow(4, 4, 4, 16, 4)]
    [DataRow(4, 5, 3, 16, 4)]
    [DataRow(4, 8, 7, 16, 5)]
    [DataRow(4, 6, 9, 16, 24)]
    public void Gradients(int tile, int h, int w, int channels, int filters)
        => GradCheck.Check([[2, channels, h, w], [filters, channels, 3, 3], [filters]], (g, x) =>
        {
            var y = Lower(g, tile).Conv(x[0], x[1], x[2], 1, 1);
            Assert.AreEqual(GraphBuilder.ConvWinogradOp, y.Producer!.Composite?.OpType);
            return y;
        }, init: Small);

    // Two Winograd convolutions in a row: the second one's dX flows into the first one's rule.
    // (A smooth activation: finite differences along a random direction cross ReLU's kinks.)
    [TestMethod]
    [DataRow(2)]
    [DataRow(4)]
    public void ChainedGradients(int tile)
        => GradCheck.Check([[3, 16, 5, 6], [16, 16, 3, 3], [8, 16, 3, 3]], (g, x) =>
        {
            var h = g.Sigmoid(Lower(g, tile).Conv(x[0], x[1], null, 1, 1));
            return g.Conv(h, x[2], null, 1, 1);
        }, init: Small);

    // Close to ONNX Conv relative to the outputs' scale (sums of 144-2,304 products of values
    // in [-0.5, 0.5]).
    // With no memory budget the backward pass makes V again instead of keeping the forward's.
    [TestMethod]
    [DataRow(2)]
    [DataRow(4)]
    public void RecomputedTilesGradients(int tile)
        => GradCheck.Check([[3, 16, 5, 6], [16, 16, 3, 3], [8, 16, 3, 3]], (g, x) =>
        {
            Lower(g, tile).ConvLoweringKeepBytes = 0;
            var h = g.Sigmoid(g.Conv(x[0], x[1], null, 1, 1));
            return g.Conv(h, x[2], null, 1, 1);
        }, init: Small);

    [TestMethod]
    [DataRow(2, 6, 6, 16, 8)]
    [DataRow(2, 7, 7, 32, 8)]
    [DataRow(2, 5, 9, 16, 40)]
    [DataRow(2, 1, 2, 16, 3)]
    [DataRow(4, 8, 8, 16, 8)]
    [DataRow(4, 7, 7, 32, 8)]
    [DataRow(4, 14, 14, 64, 8)]
    [DataRow(4, 5, 9, 256, 40)]
    [DataRow(4, 1, 2, 16, 3)]
    public void ForwardEqualsOnnxConv(int tile, int h, int w, int channels, int filters)
    {
        var rng = new Random(h * 31 + w);
        var x = Enumerable.Range(0, 3 * channels * h * w).Select(_ => Small(rng)).ToArray();
        var weight = Enumerable.Range(0, filters * channels * 9).Select(_ => Small(rng)).ToArray();
        float[] Run(ConvLowering lowering)
        {
            var g = Lower(new GraphBuilder(), tile);
            g.ConvLowering = lowering;
            return ConvGemmTests.ConvOutput(g, (x, [3, channels, h, w]), (weight, [filters, channels, 3, 3]), 1, 1, 1);
        }
        var expected = Run(ConvLowering.None);
        var actual = Run(ConvLowering.NhwcGemm);
        Assert.HasCount(expected.Length, actual);
        var scale = expected.Max(Math.Abs);
        var error = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Console.WriteLine($"F({tile},3) {h}x{w}x{channels}: max error {error:G3}, max |y| {scale:G3}");
        // Measured: F(2,3) up to 6e-7 of the scale, F(4,3) 1e-5 at 256 channels (its transforms
        // multiply by up to 8 and divide by 24 before the sum over channels).
        Assert.IsLessThan((tile == 2 ? 1e-6 : 2e-5) * scale, error);
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
        var g = Lower(new GraphBuilder(), 4);
        var y = g.Conv(g.Input("x", DType.Float, 2, channels, 8, 8), g.Input("w", DType.Float, 4, channels, k, k), null, stride, pad, dilation);
        Assert.AreEqual(winograd, y.Producer!.Composite?.OpType == GraphBuilder.ConvWinogradOp);
        g.ConvLoweringWinogradTile = 0;
        y = g.Conv(g.Input("x2", DType.Float, 2, channels, 8, 8), g.Input("w2", DType.Float, 4, channels, k, k), null, stride, pad, dilation);
        Assert.AreNotEqual(GraphBuilder.ConvWinogradOp, y.Producer!.Composite?.OpType, "switched off");
    }

    // The weight is never permuted as a 4-D tensor (slow in ONNX Runtime at 512x512x3x3): its
    // transforms read it as [O*C, 9], forward and backward, and dW comes out in that layout.
    [TestMethod]
    [DataRow(2)]
    [DataRow(4)]
    public void WeightsAreNeverPermuted(int tile)
    {
        var g = Lower(new GraphBuilder(), tile);
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
