using UlcAg.Graph;
using UlcAg.Network.Models;
using UlcAg.Runtime;

namespace UlcAg.Network.Tests;

[TestClass]
public sealed class LossTermTests
{
    private static float[] Run(GraphBuilder g, Value output, Dictionary<string, (Array, long[])> feeds)
    {
        g.Output(output, "out");
        using var runner = new ModelRunner(g);
        return (float[])runner.Run(feeds)["out"];
    }

    private static readonly float[] LogitValues = [1.0f, -0.5f, 2.0f, 0.3f, 0.3f, -1.2f];
    private static readonly long[] LabelValues = [2, 0];

    private static double HandCe(float[] logits, long[] labels, int classes, Func<int, double> scale)
    {
        double sum = 0;
        for (var n = 0; n < labels.Length; n++)
        {
            var row = logits.Skip(n * classes).Take(classes).Select(v => v * scale(n)).ToArray();
            var lse = Math.Log(row.Sum(v => Math.Exp(v)));
            sum += lse - row[labels[n]];
        }
        return sum / labels.Length;
    }

    private static (GraphBuilder G, UlcAgNetwork.Outputs Outs, Value Labels, Value Gamma) TargetGraph(out Dictionary<string, (Array, long[])> feeds, float[] alpha, float[] gamma)
    {
        var g = new GraphBuilder();
        var logits = g.Input("logits", DType.Float, 2, 3);
        var a = g.Input("alpha", DType.Float, 2);
        var labels = g.Input("labels", DType.Int64, 2);
        var gm = g.Input("gamma", DType.Float, 2);
        feeds = new()
        {
            ["logits"] = (LogitValues, [2, 3]), ["alpha"] = (alpha, [2]), ["labels"] = (LabelValues, [2]), ["gamma"] = (gamma, [2]),
        };
        return (g, new UlcAgNetwork.Outputs(logits, logits, a, null, null), labels, gm);
    }

    [TestMethod]
    public void WeightedCeWithUnitAlphaAndGammaIsPlainCrossEntropy()
    {
        var (g, outs, labels, gamma) = TargetGraph(out var feeds, [1, 1], [1, 1]);
        var o = new NetworkOptions { Method = Method.TargetOnly, Classes = 3 };
        var terms = Losses.Compute(g, o, outs, labels, gamma, null, null, g.Scalar(0.15));
        Assert.AreEqual(HandCe(LogitValues, LabelValues, 3, _ => 1), Run(g, terms.Cls, feeds)[0], 1e-6);
    }

    [TestMethod]
    public void WeightedCeScalesLogitsByAlphaTimesGamma()
    {
        float[] alpha = [0.7f, 0.4f], gamma = [0.9f, 0.5f];
        var (g, outs, labels, gm) = TargetGraph(out var feeds, alpha, gamma);
        var terms = Losses.Compute(g, new NetworkOptions { Method = Method.UlcAg, Classes = 3 }, outs, labels, gm, null, null, g.Scalar(0.15));
        Assert.AreEqual(HandCe(LogitValues, LabelValues, 3, n => alpha[n] * gamma[n]), Run(g, terms.Cls, feeds)[0], 1e-6);
    }

    [TestMethod]
    public void RankRegularizationMatchesHandComputation()
    {
        // phi = 0.8 of 5 -> the top 4 {0.9, 0.8, 0.6, 0.3} average 0.65; the rest {0.2}: gap 0.45.
        var g = new GraphBuilder();
        var alpha = g.Input("alpha", DType.Float, 5);
        var feeds = new Dictionary<string, (Array, long[])> { ["alpha"] = (new[] { 0.9f, 0.2f, 0.3f, 0.8f, 0.6f }, [5]) };
        var active = Losses.RankRegularization(g, alpha, 0.8, g.Scalar(0.6));
        var inactive = Losses.RankRegularization(g, alpha, 0.8, g.Scalar(0.15));
        g.Output(inactive, "inactive");
        Assert.AreEqual(0.15, Run(g, active, feeds)[0], 1e-6);
        using var runner = new ModelRunner(g);
        Assert.AreEqual(0f, ((float[])runner.Run(feeds)["inactive"])[0]);
    }

    [TestMethod]
    public void AuLossMatchesHandComputedWeightedBce()
    {
        float[] scores = [2.0f, -1.0f, 0.5f, -3.0f, 0.1f, 4.0f];
        float[] targets = [1, 0, 0, 1, 1, 1];
        float[] mask = [1, 0, 1];
        float[] alpha = [0.8f, 0.5f, 0.3f];
        var g = new GraphBuilder();
        var s = g.Input("s", DType.Float, 3, 2);
        var z = g.Input("z", DType.Float, 3, 2);
        var m = g.Input("m", DType.Float, 3);
        var a = g.Input("a", DType.Float, 3);
        var loss = Losses.AuLoss(g, s, z, m, a, alphaGradient: false);
        var feeds = new Dictionary<string, (Array, long[])>
        {
            ["s"] = (scores, [3, 2]), ["z"] = (targets, [3, 2]), ["m"] = (mask, [3]), ["a"] = (alpha, [3]),
        };
        double expected = 0;
        for (var n = 0; n < 3; n++)
        {
            double bce = 0;
            for (var k = 0; k < 2; k++)
            {
                var p = 1 / (1 + Math.Exp(-scores[n * 2 + k]));
                var t = targets[n * 2 + k];
                bce -= t * Math.Log(p) + (1 - t) * Math.Log(1 - p);
            }
            expected += mask[n] * alpha[n] * bce;
        }
        expected /= mask.Sum();
        Assert.AreEqual(expected, Run(g, loss, feeds)[0], 1e-5);
    }

    private static readonly float[] AuScoreValues = [2.0f, -1.0f, 0.5f, -30.0f, 0.1f, 25.0f];
    private static readonly float[] AuTargetValues = [1, 0, 0, 1, 1, 0];

    private static (GraphBuilder G, Value Loss, Dictionary<string, (Array, long[])> Feeds) ForwardAuLoss(float[]? rho, float[] scores, float[]? alpha = null)
    {
        var g = new GraphBuilder();
        var s = g.Input("s", DType.Float, 3, 2);
        var a = alpha is null ? null : g.Input("a", DType.Float, 3);
        var loss = Losses.AuLoss(g, s, g.Input("z", DType.Float, 3, 2), g.Input("m", DType.Float, 3), a, false, falsePositiveRates: rho);
        var feeds = new Dictionary<string, (Array, long[])> { ["s"] = (scores, [3, 2]), ["z"] = (AuTargetValues, [3, 2]), ["m"] = (new float[] { 1, 0, 1 }, [3]) };
        if (alpha is not null) feeds["a"] = (alpha, [3]);
        return (g, loss, feeds);
    }

    [TestMethod]
    public void FalsePositiveRatesOutsideTheOpenIntervalAreRefusedByTheLossAndTheNetworkOptions()
    {
        // rho = 0 makes log q infinite where sigmoid(s) underflows, rho = 1 makes log(1 - rho) infinite.
        float[][] bad = [[0.1f, 0f], [1f, 0.1f], [0.1f, float.NaN], [-0.05f, 0.1f]];
        Assert.IsTrue(Losses.AreValidFalsePositiveRates([0.001f, 0.5f, 0.999f]));
        var options = new NetworkOptions { AuCount = 2 };
        options.Validate();
        foreach (var rho in bad)
        {
            Assert.IsFalse(Losses.AreValidFalsePositiveRates(rho), string.Join(", ", rho));
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ForwardAuLoss(rho, AuScoreValues));
            Assert.ThrowsExactly<ArgumentException>(() => (options with { AuFalsePositiveRates = rho }).Validate());
        }
        Assert.ThrowsExactly<ArgumentException>(() => (options with { AuFalsePositiveRates = [0.1f] }).Validate(), "one rate for two AUs");
    }

    [TestMethod]
    public void ForwardCorrectedAuLossMatchesHandComputation()
    {
        // q = rho + (1 - rho) sigmoid(s) is the probability of a positive label; BCE against it, per AU's own rho,
        // on scores large enough that a naive 1 - q would lose everything.
        float[] rho = [0.1f, 0.02f];
        float[] alpha = [0.8f, 0.5f, 0.3f];
        var (g, loss, feeds) = ForwardAuLoss(rho, AuScoreValues, alpha);
        double expected = 0;
        float[] mask = [1, 0, 1];
        for (var n = 0; n < 3; n++)
        {
            for (var k = 0; k < 2; k++)
            {
                var s = (double)AuScoreValues[n * 2 + k];
                var q = rho[k] + (1 - rho[k]) / (1 + Math.Exp(-s));
                // log(1 - q) = log(1 - rho) + log(1 - sigmoid(s)) = log(1 - rho) - softplus(s)
                var logNotQ = Math.Log(1 - rho[k]) - (Math.Max(s, 0) + Math.Log(1 + Math.Exp(-Math.Abs(s))));
                var t = AuTargetValues[n * 2 + k];
                expected += mask[n] * alpha[n] * -(t * Math.Log(q) + (1 - t) * logNotQ);
            }
        }
        expected /= 2;
        Assert.AreEqual(expected, Run(g, loss, feeds)[0], 1e-4 * expected);
    }

    [TestMethod]
    public void ForwardCorrectedAuLossApproachesBceAsTheRateFalls()
    {
        float[] scores = [1.5f, -0.7f, 0.2f, -2.0f, 0.4f, 3.0f];
        var (gb, bce, feedsB) = ForwardAuLoss(null, scores);
        var (gf, forward, feedsF) = ForwardAuLoss([1e-6f, 1e-6f], scores);
        Assert.AreEqual(Run(gb, bce, feedsB)[0], Run(gf, forward, feedsF)[0], 1e-4);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ForwardAuLoss([0f, 0.1f], scores), "a zero rate would make log q infinite where sigmoid(s) underflows");
    }

    [TestMethod]
    public void ForwardCorrectedAuLossGradientMatchesFiniteDifferencesAndStopsPullingOnUnlikelyPositives()
    {
        float[] rho = [0.1f, 0.05f];
        float[] scores = [2.0f, -1.0f, 0.5f, -3.0f, -6.0f, 4.0f];
        var (g, loss, feeds) = ForwardAuLoss(rho, scores);
        g.Output(UlcAg.Graph.Autodiff.Autodiff.Gradients(loss, [g.Inputs.First(v => v.Name == "s")])[0], "grad");
        g.Output(loss, "loss");
        using var runner = new ModelRunner(g);
        Dictionary<string, (Array, long[])> Feeds(float[] sv) => new(feeds) { ["s"] = (sv, [3, 2]) };
        var grad = (float[])runner.Run(Feeds(scores))["grad"];
        const float eps = 1e-2f;
        for (var i = 0; i < scores.Length; i++)
        {
            var up = (float[])scores.Clone();
            var down = (float[])scores.Clone();
            up[i] += eps;
            down[i] -= eps;
            var numeric = (((float[])runner.Run(Feeds(up))["loss"])[0] - ((float[])runner.Run(Feeds(down))["loss"])[0]) / (2 * eps);
            Assert.AreEqual(numeric, grad[i], 1e-3, $"score {i}");
        }
        // Sample 2, AU 0: a positive label at s = -6, where BCE would pull with (sigmoid(s) - 1) / 2 = -0.5;
        // corrected, the pull is about sigmoid(s) / rho / 2, under a twentieth of that.
        Assert.IsLessThan(0.025, Math.Abs(grad[4]));
        Assert.IsLessThan(0f, grad[4]);
    }

    [TestMethod]
    public void GcnLayerMatchesHandComputationOnThreeNodes()
    {
        float[] a = [0.5f, 0.5f, 0, 0, 1, 0, 0.2f, 0.3f, 0.5f];
        float[] x = [1, -2, 0.5f, 3, -1, 1];   // one sample, 3 nodes x 2 features
        float[] w = [1, 0.5f, -1, 2];           // 2 x 2
        float[] ws = [0.3f, -1, 2, 0.25f];      // 2 x 2, the self weight
        foreach (var withSelf in new[] { false, true })
        {
            var g = new GraphBuilder();
            var y = UlcAgNetwork.GcnLayer(g, g.Input("a", DType.Float, 3, 3), g.Input("x", DType.Float, 1, 3, 2), g.Input("w", DType.Float, 2, 2), 0.2,
                withSelf ? g.Input("ws", DType.Float, 2, 2) : null);
            var feeds = new Dictionary<string, (Array, long[])> { ["a"] = (a, [3, 3]), ["x"] = (x, [1, 3, 2]), ["w"] = (w, [2, 2]) };
            if (withSelf) feeds["ws"] = (ws, [2, 2]);
            var got = Run(g, y, feeds);
            for (var p = 0; p < 3; p++)
            {
                for (var c = 0; c < 2; c++)
                {
                    double v = 0;
                    for (var k = 0; k < 2; k++)
                    {
                        for (var q = 0; q < 3; q++) v += a[p * 3 + q] * x[q * 2 + k] * w[k * 2 + c];
                        if (withSelf) v += x[p * 2 + k] * ws[k * 2 + c];
                    }
                    Assert.AreEqual(v > 0 ? v : 0.2 * v, got[p * 2 + c], 1e-6, $"self weight {withSelf}: node {p} channel {c}");
                }
            }
        }
    }
}
