namespace UlcAg.Graph.Tests;

[TestClass]
public sealed class ConvPoolNormGradientTests
{
    private static float Small(Random r) => (float)(r.NextDouble() - 0.5);

    // ResNet-18's convolutions: 3x3/s1/p1, 3x3/s2/p1, 1x1/s2 (downsample), 7x7/s2/p3 (stem),
    // each on even and odd input sizes; plus bias and dilation.
    [TestMethod]
    [DataRow(3, 1, 1, 1, 6)]
    [DataRow(3, 1, 1, 1, 5)]
    [DataRow(3, 2, 1, 1, 8)]
    [DataRow(3, 2, 1, 1, 7)]
    [DataRow(1, 2, 0, 1, 8)]
    [DataRow(1, 2, 0, 1, 7)]
    [DataRow(7, 2, 3, 1, 10)]
    [DataRow(7, 2, 3, 1, 9)]
    [DataRow(3, 1, 2, 2, 7)]
    public void Conv(int k, int stride, int pad, int dilation, int size)
        => GradCheck.Check([[2, 3, size, size], [4, 3, k, k], [4]], (g, x) => g.Conv(x[0], x[1], x[2], stride, pad, dilation), init: Small);

    [TestMethod]
    public void ConvNonSquareInput()
        => GradCheck.Check([[1, 2, 6, 5], [3, 2, 3, 3]], (g, x) => g.Conv(x[0], x[1], null, 2, 1), init: Small);

    [TestMethod]
    [DataRow(8)]
    [DataRow(7)]
    public void MaxPoolOverlappingWindows(int size)
    {
        // Values at least 0.05 apart keep every window's argmax fixed under the 1e-2 probes.
        var rng = new Random(size);
        var order = Enumerable.Range(0, 2 * 3 * size * size).OrderBy(_ => rng.Next()).ToArray();
        var k = 0;
        GradCheck.Check([[2, 3, size, size]], (g, x) => g.MaxPool(x[0], 3, 2, 1), init: _ => order[k++ % order.Length] * 0.05f);
    }

    [TestMethod]
    public void GlobalAveragePool() => GradCheck.Check([[2, 3, 5, 4]], (g, x) => g.GlobalAveragePool(x[0]));

    [TestMethod]
    public void BatchNormTrainNchw()
        => GradCheck.Check([[4, 3, 3, 2], [3], [3]], (g, x) =>
        {
            var stats = g.Constant(TensorData.Of(new float[3], 3));
            return g.BatchNormTrain(x[0], x[1], x[2], stats, stats).Y;
        });

    [TestMethod]
    public void BatchNormTrainNc()
        => GradCheck.Check([[6, 4], [4], [4]], (g, x) =>
        {
            var stats = g.Constant(TensorData.Of(new float[4], 4));
            return g.BatchNormTrain(x[0], x[1], x[2], stats, stats).Y;
        });

    // The batch statistics are composite outputs too; their gradients (zero in a network, where
    // only the running statistics read them) must still be right.
    [TestMethod]
    public void BatchNormTrainStatisticsOutputs()
        => GradCheck.Check([[4, 3, 3, 2], [3], [3]], (g, x) =>
        {
            var stats = g.Constant(TensorData.Of(new float[3], 3));
            var bn = g.BatchNormTrain(x[0], x[1], x[2], stats, stats).Y.Producer!.Composite!;
            return bn.Outputs[0] + g.Expand(bn.Outputs[1] * 0.7, x[0].Shape) + g.Expand(bn.Outputs[2] * -1.3, x[0].Shape);
        });

    [TestMethod]
    public void ConvBatchNorm()
        => GradCheck.Check([[2, 2, 7, 7], [3, 2, 3, 3], [3], [3]], (g, x) =>
        {
            var stats = g.Constant(TensorData.Of(new float[3], 3));
            return g.BatchNormTrain(g.Conv(x[0], x[1], null, 2, 1), x[2], x[3], stats, stats).Y;
        }, init: Small, tolerance: 3e-2);

    [TestMethod]
    public void ConvBatchNormRelu()
        => GradCheck.Check([[2, 2, 7, 7], [3, 2, 3, 3], [3], [3]], (g, x) =>
        {
            var stats = g.Constant(TensorData.Of(new float[3], 3));
            return g.Relu(g.BatchNormTrain(g.Conv(x[0], x[1], null, 2, 1), x[2], x[3], stats, stats).Y);
        }, init: Small, tolerance: 3e-2);

    // Small probes: after batch norm, pooled values sit close together and a 1e-2 step can swap a window's maximum.
    [TestMethod]
    public void ConvBatchNormReluPoolChain()
        => GradCheck.Check([[2, 2, 7, 7], [3, 2, 3, 3], [3], [3]], (g, x) =>
        {
            var stats = g.Constant(TensorData.Of(new float[3], 3));
            var h = g.BatchNormTrain(g.Conv(x[0], x[1], null, 2, 1), x[2], x[3], stats, stats).Y;
            return g.GlobalAveragePool(g.MaxPool(g.Relu(h), 3, 2, 1));
        }, init: Small, tolerance: 3e-2, eps: 1e-3);
}
