using UlcAg.Runtime;

namespace UlcAg.Graph.Tests;

[TestClass]
public sealed class BatchNormTests
{
    // Training-mode batch norm against a double-precision loop: biased variance for the
    // normalization, unbiased variance (n/(n-1)) for running_var, momentum 0.1. A channel mean
    // far from zero checks that the variance survives cancellation.
    [TestMethod]
    public void TrainForwardAndRunningStatisticsMatchReference()
    {
        const int n = 3, c = 2, h = 4, w = 5;
        var rng = new Random(5);
        var x = new float[n * c * h * w];
        for (var i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1) + ((i / (h * w)) % c == 1 ? 300f : 0f);
        float[] gamma = [1.5f, -0.5f], beta = [0.25f, 2f], runMean = [0.1f, -0.2f], runVar = [0.9f, 1.1f];

        var g = new GraphBuilder();
        var xv = g.Input("x", DType.Float, n, c, h, w);
        var o = g.BatchNormTrain(xv, g.Constant(TensorData.Of(gamma, c)), g.Constant(TensorData.Of(beta, c)),
            g.Constant(TensorData.Of(runMean, c)), g.Constant(TensorData.Of(runVar, c)));
        g.Output(o.Y, "y");
        g.Output(o.RunningMean, "mean");
        g.Output(o.RunningVar, "var");
        using var runner = new ModelRunner(g);
        var r = runner.Run(new Dictionary<string, (Array, long[])> { ["x"] = (x, [n, c, h, w]) });
        var y = (float[])r["y"];

        const int count = n * h * w;
        for (var ch = 0; ch < c; ch++)
        {
            var values = Enumerable.Range(0, n).SelectMany(b => Enumerable.Range(0, h * w).Select(k => (b * c + ch) * h * w + k)).ToArray();
            var mean = values.Average(i => (double)x[i]);
            var variance = values.Sum(i => (x[i] - mean) * (x[i] - mean)) / count;
            foreach (var i in values)
            {
                var expected = (x[i] - mean) / Math.Sqrt(variance + 1e-5) * gamma[ch] + beta[ch];
                Assert.AreEqual(expected, y[i], 2e-4, $"y[{i}]");
            }
            Assert.AreEqual(0.9 * runMean[ch] + 0.1 * mean, ((float[])r["mean"])[ch], 1e-3);
            Assert.AreEqual(0.9 * runVar[ch] + 0.1 * variance * count / (count - 1), ((float[])r["var"])[ch], 1e-4);
        }
    }
}
