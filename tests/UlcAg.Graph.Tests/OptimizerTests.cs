using UlcAg.Graph.Optim;
using UlcAg.Runtime;

namespace UlcAg.Graph.Tests;

[TestClass]
public sealed class OptimizerTests
{
    // Loss = sum(0.5 c p^2 + d p) per parameter, so grad = c p + d, computed by hand below.
    private static readonly float[] C = [1.0f, 2.0f, 0.5f];
    private static readonly float[] D = [0.3f, -0.2f, 0.1f];

    private static (byte[] Model, string[] Names) QuadraticStep(Optimizer optimizer)
    {
        var g = new GraphBuilder("quadratic");
        var pa = g.Input("a", DType.Float, 3);
        var pb = g.Input("b", DType.Float, 3);
        var c = g.Constant(TensorData.Of(C, 3));
        var d = g.Constant(TensorData.Of(D, 3));
        Value Term(Value p) => g.SumAll(c * p * p * 0.5 + d * p);
        var loss = Term(pa) + Term(pb);
        var transitions = TrainStep.Build(g, loss, [new Parameter(pa, "fast"), new Parameter(pb, "slow")], optimizer, [], [("loss", loss)]);
        var model = g.ToBytes(new OnnxExportOptions { Metadata = new Dictionary<string, string>([TrainStep.StateMetadata(transitions)]) });
        return (model, ["a", "b"]);
    }

    private static float[] Grad(float[] p) => p.Select((v, i) => C[i] * v + D[i]).ToArray();

    private static readonly float[] A0 = [1f, -1f, 2f];
    private static readonly float[] B0 = [0.5f, 0.25f, -2f];
    private static readonly Dictionary<string, float> Lr = new() { ["fast"] = 0.1f, ["slow"] = 0.01f };

    private static void RunSteps(Optimizer optimizer, Func<float[], float[], float, float, int, float[]> reference, double tolerance)
    {
        var (model, _) = QuadraticStep(optimizer);
        using var session = new TrainingSession(model, Device.Cpu, new Dictionary<string, float[]> { ["a"] = A0, ["b"] = B0 });
        var expected = new Dictionary<string, float[]> { ["a"] = A0, ["b"] = B0 };
        var group = new Dictionary<string, string> { ["a"] = "fast", ["b"] = "slow" };
        var wd = optimizer.Groups.ToDictionary(gr => gr.Name, gr => (float)gr.WeightDecay);
        for (var step = 1; step <= 4; step++)
        {
            foreach (var (name, lr) in Lr) session.Feed<float>(Optimizer.LearningRateInput(name))[0] = lr;
            session.Step();
            foreach (var p in new[] { "a", "b" })
            {
                expected[p] = reference(expected[p], Grad(expected[p]), Lr[group[p]], wd[group[p]], step);
                CollectionAssert.That.AreClose(expected[p], session.ReadState(p), tolerance, $"{p} after step {step}");
            }
        }
    }

    [TestMethod]
    public void SgdMomentumWeightDecayMatchesHandComputation()
    {
        float[]? bufA = null, bufB = null;
        var calls = 0;
        RunSteps(new Sgd([new ParamGroup("fast", 0.01), new ParamGroup("slow", 0.1)], momentum: 0.9), (p, g, lr, wd, step) =>
        {
            // PyTorch: d = g + wd p; buf = 0.9 buf + d (buf = d at the first step); p -= lr buf
            ref var buf = ref (calls++ % 2 == 0 ? ref bufA : ref bufB);
            var d = g.Select((gv, i) => gv + wd * p[i]).ToArray();
            buf = buf is null ? d : buf.Select((b, i) => 0.9f * b + d[i]).ToArray();
            var b2 = buf;
            return p.Select((v, i) => v - lr * b2[i]).ToArray();
        }, 1e-6);
    }

    [TestMethod]
    public void SgdWithoutMomentumMatchesHandComputation()
        => RunSteps(new Sgd([new ParamGroup("fast", 0.01), new ParamGroup("slow")], momentum: 0), (p, g, lr, wd, step)
            => p.Select((v, i) => v - lr * (g[i] + wd * v)).ToArray(), 1e-6);

    [TestMethod]
    public void AdamAndAdamWMatchHandComputation()
    {
        foreach (var decoupled in new[] { false, true })
        {
            float[]? mA = null, mB = null, vA = null, vB = null;
            var calls = 0;
            RunSteps(new Adam([new ParamGroup("fast", 0.05), new ParamGroup("slow", 0.2)], decoupledWeightDecay: decoupled), (p, g, lr, wd, step) =>
            {
                var first = calls++ % 2 == 0;
                ref var m = ref (first ? ref mA : ref mB);
                ref var v = ref (first ? ref vA : ref vB);
                var q = decoupled ? p.Select(x => x - lr * wd * x).ToArray() : p;
                var grad = decoupled ? g : g.Select((gv, i) => gv + wd * p[i]).ToArray();
                var m0 = m ?? new float[p.Length];
                var v0 = v ?? new float[p.Length];
                m = m0.Select((x, i) => 0.9f * x + 0.1f * grad[i]).ToArray();
                v = v0.Select((x, i) => 0.999f * x + 0.001f * grad[i] * grad[i]).ToArray();
                var (m2, v2) = (m, v);
                var bc1 = 1 - Math.Pow(0.9, step);
                var bc2 = 1 - Math.Pow(0.999, step);
                return q.Select((x, i) => (float)(x - lr / bc1 * m2[i] / (Math.Sqrt(v2[i]) / Math.Sqrt(bc2) + 1e-8))).ToArray();
            }, 1e-5);
        }
    }

    // Weight decay on a gradient that a Gemm makes (a linear layer's, a Winograd convolution's)
    // becomes that Gemm's C input: the same values as the Mul and Add it replaces.
    [TestMethod]
    public void WeightDecayFoldsIntoTheGradientsGemm()
    {
        var rng = new Random(5);
        var feeds = new Dictionary<string, (Array, long[])>
        {
            ["x"] = (Enumerable.Range(0, 8 * 4).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray(), [8, 4]),
            ["w"] = (Enumerable.Range(0, 3 * 4).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray(), [3, 4]),
        };
        (GraphBuilder Graph, Dictionary<string, Array> Outputs) Run(bool readGradient)
        {
            var g = new GraphBuilder();
            var x = g.Input("x", DType.Float, 8, 4);
            var w = g.Input("w", DType.Float, 3, 4);
            var y = g.Linear(x, w, null);
            var grad = Autodiff.Autodiff.Gradients(g.SumAll(y * y), [w])[0];
            // A graph output reads the gradient: it must stay, so nothing folds.
            if (readGradient) g.Output(grad, "grad");
            g.Output(g.AddScaled(grad, w, 0.25), "d");
            using var runner = new ModelRunner(g);
            return (g, runner.Run(feeds));
        }
        static int FoldedGemms(GraphBuilder g) => g.ToModel().Graph.Node.Count(n => n.OpType == "Gemm" && n.Input.Count == 3);
        var (folded, a) = Run(readGradient: false);
        var (plain, b) = Run(readGradient: true);
        Assert.AreEqual(1, FoldedGemms(folded));
        Assert.AreEqual(0, FoldedGemms(plain));
        static bool ScalesTheWeight(GraphBuilder g) => g.ToModel().Graph.Node.Any(n => n.OpType == "Mul" && n.Input.Contains("w"));
        Assert.IsFalse(ScalesTheWeight(folded), "no separate w * 0.25");
        Assert.IsTrue(ScalesTheWeight(plain));
        CollectionAssert.That.AreClose((float[])b["d"], (float[])a["d"], 1e-6, "d");
        var (gradient, weight) = ((float[])b["grad"], (float[])feeds["w"].Item1);
        CollectionAssert.That.AreClose(gradient.Select((v, i) => v + 0.25f * weight[i]).ToArray(), (float[])a["d"], 1e-6, "d = grad + 0.25 w");
    }
}

internal static class CollectionAssertExtensions
{
    public static void AreClose(this CollectionAssert _, float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        for (var i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], tolerance * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]");
    }

}
