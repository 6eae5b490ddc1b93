using UlcAg.Graph;
using UlcAg.Graph.Autodiff;
using UlcAg.Runtime;

namespace UlcAg.Graph.Tests;

/// <summary>
/// Finite-difference gradient checks. A function of some float inputs is reduced to a scalar by
/// a random projection; the compiler's gradients are compared with central differences along
/// single coordinates and along a random direction, all evaluated by ONNX Runtime.
/// </summary>
internal static class GradCheck
{
    /// <summary>Input initializer: element index -> value; default uniform in [-1, 1].</summary>
    public delegate float Init(Random rng);

    public static void Check(long[][] shapes, Func<GraphBuilder, Value[], Value> f, double tolerance = 2e-2, Init? init = null, Init?[]? inits = null, int seed = 1, double eps = 1e-2)
    {
        inits ??= shapes.Select(_ => init).ToArray();
        var rng = new Random(seed);
        var g = new GraphBuilder("gradcheck");
        var xs = shapes.Select((s, i) => g.Input($"x{i}", DType.Float, s)).ToArray();
        var y = f(g, xs);
        var r = g.Input("r", DType.Float, y.Shape.ToArray());
        var loss = g.SumAll(y * r);
        var grads = Autodiff.Autodiff.Gradients(loss, xs);
        g.Output(loss, "loss");
        for (var i = 0; i < xs.Length; i++) g.Output(grads[i], $"grad{i}");
        using var runner = new ModelRunner(g);

        var values = shapes.Select((s, i) => Enumerable.Range(0, (int)Size(s)).Select(_ => inits[i]?.Invoke(rng) ?? (float)(rng.NextDouble() * 2 - 1)).ToArray()).ToArray();
        var proj = Enumerable.Range(0, (int)y.Shape.Size).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

        Dictionary<string, Array> Run(float[][] v)
        {
            var feeds = new Dictionary<string, (Array, long[])> { ["r"] = (proj, y.Shape.ToArray()) };
            for (var i = 0; i < v.Length; i++) feeds[$"x{i}"] = (v[i], shapes[i]);
            return runner.Run(feeds);
        }

        double Loss(float[][] v) => ((float[])Run(v)["loss"])[0];

        var analytic = Run(values);
        for (var i = 0; i < xs.Length; i++)
        {
            var grad = (float[])analytic[$"grad{i}"];
            Assert.AreEqual(values[i].Length, grad.Length, $"gradient of x{i} has the wrong size");
            // Coordinates, then one random direction over all coordinates.
            var probes = Enumerable.Range(0, Math.Min(4, values[i].Length)).Select(_ => OneHot(values[i].Length, rng.Next(values[i].Length))).ToList();
            probes.Add(values[i].Select(_ => rng.NextDouble() * 2 - 1).ToArray());
            foreach (var d in probes)
            {
                var plus = Shift(values, i, d, eps);
                var minus = Shift(values, i, d, -eps);
                var numeric = (Loss(plus) - Loss(minus)) / (2 * eps);
                var exact = grad.Select((gv, k) => gv * d[k]).Sum();
                var scale = Math.Max(1.0, Math.Abs(numeric));
                Assert.IsTrue(Math.Abs(numeric - exact) <= tolerance * scale,
                    $"x{i}: finite difference {numeric:G6} vs gradient {exact:G6} (tolerance {tolerance * scale:G3})");
            }
        }
    }

    private static long Size(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    private static double[] OneHot(int n, int k)
    {
        var d = new double[n];
        d[k] = 1;
        return d;
    }

    private static float[][] Shift(float[][] values, int which, double[] direction, double eps)
    {
        var copy = values.Select(v => (float[])v.Clone()).ToArray();
        for (var k = 0; k < direction.Length; k++) copy[which][k] = (float)(copy[which][k] + eps * direction[k]);
        return copy;
    }
}
