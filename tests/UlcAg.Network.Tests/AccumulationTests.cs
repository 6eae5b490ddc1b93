using UlcAg.Graph.Optim;
using UlcAg.Network.Models;
using UlcAg.Runtime;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Network.Tests;

/// <summary>
/// A step accumulated over micro-batches updates the weights as one step over the whole batch, for
/// the ULC-AG network and its loss (eq. 3, 4, 7, 11), in the setting where the math says it must:
/// both micro-batches hold the same images, so batch norm's statistics and the alphas (hence the
/// L_rr split by phi) are those of the whole batch, while labels, class weights, AU targets and AU
/// masks differ between them, so that L_wce's and L_au's means over the whole batch (L_au's with
/// the fed <see cref="ArtifactNames.AuCount"/>, not each micro-batch's own count) are what is tested.
/// </summary>
[TestClass]
public sealed class AccumulationTests
{
    // phi n is whole for both sizes (4 of 5, 8 of 10), so the high groups of the halves make the whole batch's.
    private const int Micro = 5, Batch = 10;

    [TestMethod]
    [DataRow(OptimizerKind.Sgd)]
    [DataRow(OptimizerKind.AdamW)]
    public void TwoMicroBatchesUpdateAsOneBatch(OptimizerKind kind)
    {
        var o = NetworkFixture.Tiny(Method.UlcAg);
        var optimizer = new OptimizerSettings(kind, 0.9, 1e-3);
        var weights = NetworkFixture.Weights(o).ToDictionary(kv => kv.Key, kv => kv.Value.Data);
        var whole = UlcAgNetwork.BuildTrainStep(o, Batch, optimizer);
        var parts = UlcAgNetwork.BuildAccumulatingTrainStep(o, Batch, Micro, optimizer);
        using var one = new TrainingSession(whole.Model, Device.Cpu, weights, threads: 1);
        using var accumulated = new AccumulatingTrainingSession(parts.Model, parts.Apply!, Device.Cpu, weights, threads: 1);
        Assert.AreEqual(2, accumulated.AccumulationSteps);
        CollectionAssert.AreEquivalent(one.StateNames.ToList(), accumulated.StateNames.ToList(), "a checkpoint holds the same tensors");

        // Two steps with SGD (the second starts from updated weights and momentum and zeroed accumulators); one with
        // AdamW, whose parameters after it differ by rounding-flipped signs (below), so a second step would start apart.
        var steps = kind == OptimizerKind.Sgd ? 2 : 1;
        for (var step = 0; step < steps; step++)
        {
            var feeds = Feeds(o, seed: 10 + step);
            Fill(one, feeds);
            Fill(accumulated, feeds);
            accumulated.Feed<float>(N.AuCount)[0] = ((float[])feeds[N.AuMask]).Sum();
            one.Step();
            accumulated.Step();

            foreach (var term in new[] { N.Loss, N.LossCls, N.LossRr, N.LossAu })
                Assert.AreEqual(one.Result<float>(term)[0], accumulated.Result<float>(term)[0], 2e-5, $"step {step + 1}: {term} of the whole batch");
            foreach (var output in new[] { N.Alpha, N.Logits, N.Semantic })
                AssertClose(one.Result<float>(output).ToArray(), accumulated.Result<float>(output).ToArray(), 1e-4, $"step {step + 1}: {output}");
            var expected = one.ReadState();
            var actual = accumulated.ReadState();
            // Running statistics take one momentum update per micro-batch (as in PyTorch), so they differ. Adam's
            // first update is about lr times the sign of each gradient element, which float rounding flips where an
            // element is near zero: its moments (linear in g and g^2) are compared, SGD's parameters and momentum too.
            foreach (var name in expected.Keys.Where(n => !n.Contains("running_", StringComparison.Ordinal) && (kind == OptimizerKind.Sgd || n.Contains(".exp_avg", StringComparison.Ordinal))))
                AssertClose(expected[name], actual[name], 1e-3, $"step {step + 1}: {name}");
        }
        if (kind != OptimizerKind.Sgd) Assert.AreEqual(1f, accumulated.ReadState()[Adam.StepInput][0], "one optimizer step per batch, not per micro-batch");
        Assert.IsTrue(one.ReadState().Any(kv => kv.Key.EndsWith("running_mean", StringComparison.Ordinal) && kv.Value.Any(v => v != 0)), "the steps did train");
    }

    [TestMethod]
    public void AccumulatorsAndPerSampleInputsAreDeclared()
    {
        var o = NetworkFixture.Tiny(Method.UlcAg);
        var parts = UlcAgNetwork.BuildAccumulatingTrainStep(o, Batch, Micro, new OptimizerSettings(OptimizerKind.Sgd, 0.9, 1e-4));
        using var s = new AccumulatingTrainingSession(parts.Model, parts.Apply!, Device.Cpu, threads: 1);
        CollectionAssert.AreEqual(new long[] { Batch, o.InputSize, o.InputSize, 3 }, s.ShapeOf(N.Images));
        CollectionAssert.AreEqual(new long[] { Batch, o.Classes }, s.ShapeOf(N.Logits));
        CollectionAssert.AreEqual(Array.Empty<long>(), s.ShapeOf(N.Loss));
        Assert.IsTrue(s.FeedNames.Contains(Optimizer.LearningRateInput(N.GroupAux)) && s.FeedNames.Contains(N.AuCount));
        Assert.IsFalse(s.StateNames.Any(n => n.EndsWith(".grad", StringComparison.Ordinal)), "accumulators are not kept state");
        Assert.IsTrue(s.StateLocations().Any(l => l.Name == "fc.weight.grad"), "but they are state of the session");
        Assert.ThrowsExactly<ArgumentException>(() => UlcAgNetwork.BuildAccumulatingTrainStep(o, Batch, 4, new OptimizerSettings(OptimizerKind.Sgd, 0.9, 0)));
    }

    /// <summary>One batch of two halves with the same images and different labels, weights, AU targets and masks (5 and 3 labelled).</summary>
    private static Dictionary<string, Array> Feeds(NetworkOptions o, int seed)
    {
        var rng = new Random(seed);
        var half = NetworkFixture.Images(Micro, o.InputSize, seed);
        return new Dictionary<string, Array>
        {
            [N.Images] = half.Concat(half).ToArray(),
            [N.Labels] = Enumerable.Range(0, Batch).Select(i => (long)((i < Micro ? i : i * 2 + 1) % o.Classes)).ToArray(),
            [N.ClassWeights] = Enumerable.Range(0, Batch).Select(_ => (float)(0.4 + rng.NextDouble() * 0.6)).ToArray(),
            [N.AuTargets] = Enumerable.Range(0, Batch * o.AuCount).Select(_ => (float)rng.Next(2)).ToArray(),
            [N.AuMask] = Enumerable.Range(0, Batch).Select(i => i >= Micro && i % 3 == 0 ? 0f : 1f).ToArray(),
            [N.Adjacency] = NetworkFixture.RowNormalized(o.AuCount, new Random(1)),
            [N.Lambda1] = new[] { 1.3f },
            [N.Lambda2] = new[] { 0.7f },
            [N.RrMargin] = new[] { 0.9f },
            [Optimizer.LearningRateInput(N.GroupBackbone)] = new[] { 0.05f },
            [Optimizer.LearningRateInput(N.GroupTarget)] = new[] { 0.05f },
            [Optimizer.LearningRateInput(N.GroupAux)] = new[] { 0.02f },
        };
    }

    private static void Fill(ITrainStepSession session, Dictionary<string, Array> feeds)
    {
        foreach (var (name, data) in feeds)
        {
            switch (data)
            {
                case byte[] b: b.CopyTo(session.Feed<byte>(name)); break;
                case long[] l: l.CopyTo(session.Feed<long>(name)); break;
                case float[] f: f.CopyTo(session.Feed<float>(name)); break;
            }
        }
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.AreEqual(expected.Length, actual.Length, what);
        var scale = Math.Max(1e-3, expected.Max(v => Math.Abs(v)));
        var worst = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        Assert.IsTrue(worst <= tolerance * scale, $"{what}: largest difference {worst:G3} (scale {scale:G3})");
    }
}
