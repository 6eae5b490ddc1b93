namespace UlcAg.Graph.Tests;

[TestClass]
public sealed class ElementwiseGradientTests
{
    private static float Positive(Random r) => (float)(0.5 + r.NextDouble());
    private static float AwayFromZero(Random r) => (float)((r.Next(2) * 2 - 1) * (0.2 + r.NextDouble()));

    [TestMethod] public void AddBroadcast() => GradCheck.Check([[2, 3, 4], [3, 1]], (g, x) => x[0] + x[1]);
    [TestMethod] public void SubBroadcast() => GradCheck.Check([[4], [2, 3, 4]], (g, x) => x[0] - x[1]);
    [TestMethod] public void MulBroadcast() => GradCheck.Check([[2, 3, 4], [1, 3, 1]], (g, x) => x[0] * x[1]);
    [TestMethod] public void DivBroadcast() => GradCheck.Check([[2, 3], [3]], (g, x) => x[0] / x[1], inits: [null, Positive]);
    [TestMethod] public void Neg() => GradCheck.Check([[5]], (g, x) => -x[0]);
    [TestMethod] public void Exp() => GradCheck.Check([[3, 4]], (g, x) => g.Exp(x[0]));
    [TestMethod] public void Log() => GradCheck.Check([[3, 4]], (g, x) => g.Log(x[0]), init: Positive);
    [TestMethod] public void Sqrt() => GradCheck.Check([[3, 4]], (g, x) => g.Sqrt(x[0]), init: Positive);
    [TestMethod] public void Reciprocal() => GradCheck.Check([[6]], (g, x) => g.Reciprocal(x[0]), init: Positive);
    [TestMethod] public void Abs() => GradCheck.Check([[6]], (g, x) => g.Abs(x[0]), init: AwayFromZero);
    [TestMethod] public void Relu() => GradCheck.Check([[4, 5]], (g, x) => g.Relu(x[0]), init: AwayFromZero);
    [TestMethod] public void LeakyRelu() => GradCheck.Check([[4, 5]], (g, x) => g.LeakyRelu(x[0], 0.2), init: AwayFromZero);
    [TestMethod] public void Sigmoid() => GradCheck.Check([[4, 5]], (g, x) => g.Sigmoid(x[0]));
    [TestMethod] public void MaxHingeAgainstZero() => GradCheck.Check([[8]], (g, x) => g.Max(x[0], g.Scalar(0)), init: AwayFromZero);
    [TestMethod] public void MaxAndMinOfTwo() => GradCheck.Check([[3, 4], [4]], (g, x) => g.Max(x[0], x[1]) + g.Min(x[0], x[1]) * x[0]);
    [TestMethod] public void SumOfThree() => GradCheck.Check([[2, 3], [3], [2, 1]], (g, x) => g.Sum([x[0], x[1], x[2]]) * x[0]);

    [TestMethod]
    public void WhereSelectsGradients()
        => GradCheck.Check([[3, 4], [3, 4], [4]], (g, x) => g.Where(g.Greater(x[0], g.Scalar(0)), x[1] * x[1], x[2]), init: AwayFromZero);

    [TestMethod]
    public void FanOutAccumulates() => GradCheck.Check([[5]], (g, x) => x[0] * x[0] * x[0] + g.Exp(x[0]));

    [TestMethod]
    public void StopGradientBlocksFlow()
    {
        // d/dx [sigmoid(x) * stop(x)] = sigmoid'(x) * x: the stopped factor is a constant.
        var g = new GraphBuilder();
        var x = g.Input("x", DType.Float, 3);
        var s = g.Sigmoid(x);
        var grad = UlcAg.Graph.Autodiff.Autodiff.Gradients(g.SumAll(s * g.StopGradient(x)), [x])[0];
        g.Output(grad, "grad");
        using var runner = new UlcAg.Runtime.ModelRunner(g);
        float[] xs = [-1.5f, 0.3f, 2f];
        var result = (float[])runner.Run(new Dictionary<string, (Array, long[])> { ["x"] = (xs, [3]) })["grad"];
        for (var i = 0; i < 3; i++)
        {
            var sig = 1 / (1 + Math.Exp(-xs[i]));
            Assert.AreEqual(sig * (1 - sig) * xs[i], result[i], 1e-6);
        }
    }
}
