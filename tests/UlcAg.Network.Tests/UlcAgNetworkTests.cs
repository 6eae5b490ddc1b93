using UlcAg.Graph;
using UlcAg.Graph.Optim;
using UlcAg.Network.Models;
using UlcAg.Network.Weights;
using UlcAg.Runtime;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Network.Tests;

[TestClass]
public sealed class UlcAgNetworkTests
{
    [TestMethod]
    public void TotalLossIsEquation11OfTheFedLambdas()
    {
        // eq. 11: L = lambda1 / 2 (L_wce + L_rr) + lambda2 L_au, with lambda1 and lambda2 fed per epoch.
        var o = NetworkFixture.Tiny(Method.UlcAg);
        var step = UlcAgNetwork.BuildTrainStep(o, NetworkFixture.Batch, new OptimizerSettings(OptimizerKind.Sgd, 0.9, 1e-4));
        using var session = new TrainingSession(step.Model, Device.Cpu, NetworkFixture.Weights(o).ToDictionary(kv => kv.Key, kv => kv.Value.Data));
        FeedBatch(session, o, 3);
        // Learning rate 0: the weights stay, so both steps see the same terms.
        foreach (var group in new[] { N.GroupBackbone, N.GroupTarget, N.GroupAux }) session.Feed<float>(UlcAg.Graph.Optim.Optimizer.LearningRateInput(group))[0] = 0;
        (float Cls, float Rr, float Au) first = default;
        foreach (var (lambda1, lambda2) in new[] { (1.3f, 0.7f), (0.25f, 2.5f) })
        {
            session.Feed<float>(N.Lambda1)[0] = lambda1;
            session.Feed<float>(N.Lambda2)[0] = lambda2;
            session.Step();
            var (cls, rr, au) = (session.Result<float>(N.LossCls)[0], session.Result<float>(N.LossRr)[0], session.Result<float>(N.LossAu)[0]);
            Assert.IsTrue(cls > 0 && au > 0, $"terms {cls} {rr} {au}");
            Assert.AreEqual(lambda1 / 2 * (cls + rr) + lambda2 * au, session.Result<float>(N.Loss)[0], 1e-5);
            if (first == default) first = (cls, rr, au);
            else Assert.AreEqual(first, (cls, rr, au), "the same weights give the same terms");
        }
    }

    [TestMethod]
    public void EveryMethodsArtifactsLoadAndRunInOnnxRuntime()
    {
        foreach (var method in Enum.GetValues<Method>())
        {
            var o = NetworkFixture.Tiny(method);
            var step = UlcAgNetwork.BuildTrainStep(o, NetworkFixture.Batch, new OptimizerSettings(OptimizerKind.Sgd, 0.9, 1e-4));
            var weights = NetworkFixture.Weights(o);
            using var session = new TrainingSession(step.Model, Device.Cpu, weights.ToDictionary(kv => kv.Key, kv => kv.Value.Data));
            FeedBatch(session, o, 3);
            foreach (var group in new[] { N.GroupBackbone, N.GroupTarget, N.GroupAux })
            {
                var lr = UlcAg.Graph.Optim.Optimizer.LearningRateInput(group);
                if (session.FeedNames.Contains(lr)) session.Feed<float>(lr)[0] = 0.01f;
            }
            session.Step();
            var loss = session.Result<float>(N.Loss)[0];
            Assert.IsTrue(float.IsFinite(loss) && loss > 0, $"{method}: loss {loss}");
            Assert.AreEqual(method.HasAuxBranch(), session.ResultNames.Contains(N.Semantic), $"{method}: semantic output");

            using var eval = new ModelRunner(UlcAgNetwork.BuildEval(o));
            var feeds = new Dictionary<string, (Array, long[])> { [N.Images] = (NetworkFixture.Images(2, o.InputSize, 5), [2, o.InputSize, o.InputSize, 3]) };
            if (method.HasAuxBranch()) feeds[N.Adjacency] = NetworkFixture.BatchFeeds(o, 3)[N.Adjacency];
            NetworkFixture.AddWeights(feeds, weights);
            var outputs = eval.Run(feeds);
            Assert.HasCount(2 * o.Classes, (float[])outputs[N.Logits]);

            foreach (var float32 in new[] { false, true })
            {
                var export = ModelExport.Build(o, weights, new ExportSettings(["a", "b", "c"], Float32Input: float32));
                using var runner = new ModelRunner(Google.Protobuf.MessageExtensions.ToByteArray(export));
                Assert.AreEqual(N.ExportImage, runner.Session.InputNames.Single());
            }
        }
    }

    [TestMethod]
    public void LoweredConvolutionsGiveTheSameLossAndGradients()
    {
        // The CPU train step lowers convolutions to gathers and GEMMs (Winograd's for 3x3
        // stride 1, im2col's for the rest); the finite-difference
        // check above covers ONNX Conv. Width 16 gives layer1 enough channels and positions to be
        // lowered; every term of the loss is on.
        var o = NetworkFixture.Tiny(Method.UlcAg, alphaGradient: true) with { Width = 16 };
        Dictionary<string, Array> Run(ConvLowering lowering)
        {
            var lg = UlcAgNetwork.BuildLoss(o with { ConvLowering = lowering }, NetworkFixture.Batch);
            var g = lg.Graph;
            // Layer1's 3x3 stride-1 convolutions run as Winograd, the stride-2 and 1x1 ones as im2col GEMMs.
            foreach (var op in new[] { GraphBuilder.ConvGemmOp, GraphBuilder.ConvWinogradOp })
            {
                var lowered = g.Nodes.Select(n => n.Composite).Distinct().Count(n => n?.OpType == op);
                Assert.AreEqual(lowering != ConvLowering.None, lowered > 0, $"{lowering}: {lowered} convolutions run as {op}");
            }
            var parameters = lg.Context.Parameters.Select(p => p.Value).ToArray();
            var grads = UlcAg.Graph.Autodiff.Autodiff.Gradients(lg.Total, parameters);
            g.Output(lg.Total, "total");
            for (var i = 0; i < parameters.Length; i++) g.Output(grads[i], $"{parameters[i].Name}_grad");
            using var runner = new ModelRunner(g);
            var feeds = NetworkFixture.BatchFeeds(o, 4);
            NetworkFixture.AddWeights(feeds, NetworkFixture.Weights(o, seed: 2));
            return runner.Run(feeds);
        }
        var reference = Run(ConvLowering.None);
        var lowered = Run(ConvLowering.NhwcGemm);
        Assert.AreEqual(((float[])reference["total"])[0], ((float[])lowered["total"])[0], 1e-4);
        foreach (var (name, value) in reference.Where(kv => kv.Key.EndsWith("_grad", StringComparison.Ordinal)))
        {
            var (a, b) = ((float[])value, (float[])lowered[name]);
            var norm = Math.Sqrt(a.Sum(v => (double)v * v));
            var diff = Math.Sqrt(a.Zip(b, (u, v) => (double)(u - v) * (u - v)).Sum());
            Assert.IsLessThan(1e-4 * Math.Max(norm, 1e-3), diff, $"{name}: |lowered - ONNX Conv| = {diff:G3}, |ONNX Conv| = {norm:G3}");
        }
    }

    [TestMethod]
    public void MemoryBudgetRecomputesWithoutChangingTheStep()
    {
        // train.memory_budget: with nothing kept, the backward pass makes the lowered
        // convolutions' Winograd tiles and im2col matrices again. The step's results and next
        // state are those of the default (everything kept), to rounding.
        var o = NetworkFixture.Tiny(Method.UlcAg, alphaGradient: true) with { Width = 16, ConvLowering = ConvLowering.NhwcGemm };
        var weights = NetworkFixture.Weights(o, seed: 5).ToDictionary(kv => kv.Key, kv => kv.Value.Data);
        (Dictionary<string, float[]> Results, Dictionary<string, float[]> State, int Gathers) Step(long keepBytes)
        {
            var step = UlcAgNetwork.BuildTrainStep(o with { KeepForBackwardBytes = keepBytes }, NetworkFixture.Batch, new OptimizerSettings(OptimizerKind.Sgd, 0.9, 1e-4));
            using var session = new TrainingSession(step.Model, Device.Cpu, weights);
            foreach (var (name, (data, _)) in NetworkFixture.BatchFeeds(o, 3))
            {
                switch (data)
                {
                    case byte[] b: b.CopyTo(session.Feed<byte>(name)); break;
                    case long[] l: l.CopyTo(session.Feed<long>(name)); break;
                    case float[] f: f.CopyTo(session.Feed<float>(name)); break;
                }
            }
            foreach (var group in new[] { N.GroupBackbone, N.GroupTarget, N.GroupAux }) session.Feed<float>(UlcAg.Graph.Optim.Optimizer.LearningRateInput(group))[0] = 0.05f;
            session.Feed<float>(N.Lambda1)[0] = 1;
            session.Feed<float>(N.Lambda2)[0] = 1;
            session.Step();
            var graph = Onnx.ModelProto.Parser.ParseFrom(step.Model).Graph;
            var floats = graph.Output.Where(x => x.Type.TensorType.ElemType == (int)Onnx.TensorProto.Types.DataType.Float).Select(x => x.Name).ToHashSet();
            var results = session.ResultNames.Where(floats.Contains).ToDictionary(r => r, r => session.Result<float>(r).ToArray());
            return (results, session.ReadState(), graph.Node.Count(n => n.OpType == "Gather"));
        }
        var all = Step(long.MaxValue);
        var none = Step(0);
        Assert.IsGreaterThan(all.Gathers, none.Gathers, "with no budget the backward pass gathers its tiles and columns again");
        foreach (var (name, a) in all.Results.Concat(all.State))
        {
            var b = none.Results.GetValueOrDefault(name) ?? none.State[name];
            Assert.HasCount(a.Length, b, name);
            for (var i = 0; i < a.Length; i++) Assert.AreEqual(a[i], b[i], 1e-5 * Math.Max(1, Math.Abs(a[i])), $"{name}[{i}]");
        }
    }

    [TestMethod]
    public void WholeLossGradientMatchesFiniteDifferences()
    {
        // Every term on: weighted CE, rank regularization, AU loss with alpha differentiated.
        CheckLossGradient(NetworkFixture.Tiny(Method.UlcAg, alphaGradient: true),
        [
            "conv1.weight", "bn1.weight", "layer1.0.bn2.bias", "layer2.0.downsample.0.weight", "layer4.1.conv2.weight",
            "fc.weight", "fc.bias", "attention.weight", "attention.bias",
            "aux.nodes.weight", "aux.gcn1.weight", "aux.gcn2.weight", "aux.classifier.weight", "aux.classifier.bias",
        ]);
    }

    [TestMethod]
    public void GcnSelfWeightAndUnweightedAuLossGradientsMatchFiniteDifferences()
    {
        // The GCN layers with their self weight (A X W + X W_self), and L_au without the alpha weight.
        CheckLossGradient(NetworkFixture.Tiny(Method.UlcAg) with { GcnSelfWeight = true, AuLossAlpha = false },
        [
            "layer4.0.conv1.weight", "layer4.1.conv2.weight", "aux.nodes.weight", "aux.gcn1.weight", "aux.gcn1.self_weight",
            "aux.gcn2.weight", "aux.gcn2.self_weight", "aux.classifier.weight", "aux.classifier.bias",
        ]);
    }

    [TestMethod]
    public void ForwardCorrectedAuLossGradientsMatchFiniteDifferences()
    {
        // L_au forward-corrected for a false-positive rate per AU (model.au_loss: forward), through the AU branch.
        var o = NetworkFixture.Tiny(Method.UlcAg) with { GcnSelfWeight = true, AuLossAlpha = false };
        CheckLossGradient(o with { AuFalsePositiveRates = [.. Enumerable.Range(0, o.AuCount).Select(k => 0.05f + 0.02f * k)] },
            ["aux.nodes.weight", "aux.gcn1.weight", "aux.gcn1.self_weight", "aux.gcn2.weight", "aux.gcn2.self_weight", "aux.classifier.weight", "aux.classifier.bias"]);
    }

    /// <summary>Copies <see cref="NetworkFixture.BatchFeeds"/> into the session's feed buffers.</summary>
    private static void FeedBatch(TrainingSession session, NetworkOptions o, int seed)
    {
        foreach (var (name, (data, _)) in NetworkFixture.BatchFeeds(o, seed))
        {
            switch (data)
            {
                case byte[] b: b.CopyTo(session.Feed<byte>(name)); break;
                case long[] l: l.CopyTo(session.Feed<long>(name)); break;
                case float[] f: f.CopyTo(session.Feed<float>(name)); break;
            }
        }
    }

    /// <summary>The gradient of the total loss along a random direction of each of <paramref name="sample"/>'s tensors against central differences.</summary>
    private static void CheckLossGradient(NetworkOptions o, string[] sample)
    {
        var lg = UlcAgNetwork.BuildLoss(o, NetworkFixture.Batch);
        var g = lg.Graph;
        var parameters = lg.Context.Parameters.Select(p => p.Value).ToArray();
        var grads = UlcAg.Graph.Autodiff.Autodiff.Gradients(lg.Total, parameters);
        g.Output(lg.Total, "total");
        for (var i = 0; i < parameters.Length; i++) g.Output(grads[i], $"{parameters[i].Name}_grad");
        g.Output(lg.Terms.Rr, "rr");
        g.Output(lg.Terms.Au, "au");
        using var runner = new ModelRunner(g);

        var weights = NetworkFixture.Weights(o, seed: 2);
        var feeds = NetworkFixture.BatchFeeds(o, 4);
        NetworkFixture.AddWeights(feeds, weights);
        var analytic = runner.Run(feeds);
        Assert.IsGreaterThan(0f, ((float[])analytic["rr"])[0], "rank regularization should be active at initialization");
        Assert.IsGreaterThan(0f, ((float[])analytic["au"])[0]);

        var rng = new Random(9);
        foreach (var name in sample)
        {
            var w = weights[name];
            var direction = w.Data.Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var grad = (float[])analytic[$"{name}_grad"];
            var exact = grad.Select((v, i) => (double)v * direction[i]).Sum();
            // Small probes: larger ones cross ReLU, max-pool and TopK boundaries along a direction over all of a tensor.
            const double eps = 2e-4;
            double Loss(double sign)
            {
                var shifted = w.Data.Select((v, i) => (float)(v + sign * eps * direction[i])).ToArray();
                var f = new Dictionary<string, (Array, long[])>(feeds) { [name] = (shifted, w.Shape) };
                return ((float[])runner.Run(f)["total"])[0];
            }
            var numeric = (Loss(1) - Loss(-1)) / (2 * eps);
            Assert.AreEqual(numeric, exact, 3e-2 * Math.Max(0.05, Math.Abs(numeric)), $"{name}: finite difference {numeric:G5} vs gradient {exact:G5}");
        }
    }

    [TestMethod]
    public void StaticLoweredEvalGraphMatchesThePortableOne()
    {
        // The trainer runs the eval graph at a fixed batch with lowered convolutions (Winograd and
        // im2col GEMMs in NHWC, batch norm on rows); eval.onnx is the any-batch ONNX Conv form. Same
        // weights and images must give the same outputs, padded rows leaving the others untouched.
        var o = NetworkFixture.Tiny(Method.UlcAg) with { Width = 16, ConvLowering = ConvLowering.NhwcGemm };
        var weights = NetworkFixture.Weights(o, seed: 3);
        var rng = new Random(2);
        foreach (var (name, t) in weights)
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal)) for (var i = 0; i < t.Data.Length; i++) t.Data[i] = (float)(rng.NextDouble() - 0.5);
            if (name.EndsWith("running_var", StringComparison.Ordinal)) for (var i = 0; i < t.Data.Length; i++) t.Data[i] = (float)(0.5 + rng.NextDouble());
        }
        const int batch = 4, used = 3;
        var pixels = o.InputSize * o.InputSize * 3;
        var images = NetworkFixture.Images(used, o.InputSize, 11);
        var padded = new byte[batch * pixels];
        images.CopyTo(padded, 0);
        Dictionary<string, Array> Run(byte[] model, byte[] input, int n)
        {
            using var runner = new ModelRunner(model);
            var feeds = new Dictionary<string, (Array, long[])>
            {
                [N.Images] = (input, [n, o.InputSize, o.InputSize, 3]),
                [N.Adjacency] = (NetworkFixture.RowNormalized(o.AuCount, new Random(4)), [o.AuCount, o.AuCount]),
            };
            NetworkFixture.AddWeights(feeds, weights);
            return runner.Run(feeds);
        }
        var lowered = UlcAgNetwork.BuildEval(o, batch);
        var portable = UlcAgNetwork.BuildEval(o);
        int Convs(byte[] model) => Onnx.ModelProto.Parser.ParseFrom(model).Graph.Node.Count(n => n.OpType == "Conv");
        // (Convolutions too small to gain stay ONNX Conv in both.)
        Assert.IsLessThan(Convs(portable), Convs(lowered), "the static eval graph lowers convolutions that eval.onnx runs as ONNX Conv");
        var a = Run(portable, images, used);
        var b = Run(lowered, padded, batch);
        foreach (var output in new[] { N.Logits, N.Alpha, N.Semantic })
        {
            var (x, y) = ((float[])a[output], (float[])b[output]);
            Assert.HasCount(x.Length / used * batch, y, output);
            for (var i = 0; i < x.Length; i++) Assert.AreEqual(x[i], y[i], 1e-4 * Math.Max(1, Math.Abs(x[i])), $"{output}[{i}]");
        }
    }

    [TestMethod]
    public void ExportMatchesEvalGraphAndSurvivesASafetensorsRoundTrip()
    {
        var o = NetworkFixture.Tiny(Method.UlcAg);
        var weights = NetworkFixture.Weights(o, seed: 5);
        // Non-trivial running statistics, so that inference-mode batch norm is really exercised.
        var rng = new Random(1);
        foreach (var (name, t) in weights)
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal)) for (var i = 0; i < t.Data.Length; i++) t.Data[i] = (float)(rng.NextDouble() - 0.5);
            if (name.EndsWith("running_var", StringComparison.Ordinal)) for (var i = 0; i < t.Data.Length; i++) t.Data[i] = (float)(0.5 + rng.NextDouble());
        }
        var images = NetworkFixture.Images(3, o.InputSize, 8);

        using var eval = new ModelRunner(UlcAgNetwork.BuildEval(o));
        var feeds = new Dictionary<string, (Array, long[])>
        {
            [N.Images] = (images, [3, o.InputSize, o.InputSize, 3]),
            [N.Adjacency] = (NetworkFixture.RowNormalized(o.AuCount, rng), [o.AuCount, o.AuCount]),
        };
        NetworkFixture.AddWeights(feeds, weights);
        var ev = eval.Run(feeds);
        var logits = (float[])ev[N.Logits];

        var path = Path.Combine(Path.GetTempPath(), $"ulcag-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensorsFile.Write(path, weights);
            var reread = SafeTensorsFile.Read(path);
            foreach (var map in new[] { weights, reread })
            {
                var model = ModelExport.Build(o, map, new ExportSettings(["x", "y", "z"]));
                using var runner = new ModelRunner(Google.Protobuf.MessageExtensions.ToByteArray(model));
                var ex = runner.Run(new Dictionary<string, (Array, long[])> { [N.ExportImage] = (images, [3, o.InputSize, o.InputSize, 3]) });
                var probs = (float[])ex[N.Probabilities];
                for (var n = 0; n < 3; n++)
                {
                    var row = logits.Skip(n * 3).Take(3).ToArray();
                    var max = row.Max();
                    var z = row.Sum(v => Math.Exp(v - max));
                    for (var c = 0; c < 3; c++) Assert.AreEqual(Math.Exp(row[c] - max) / z, probs[n * 3 + c], 1e-5, $"sample {n} class {c}");
                }
                var (ea, xa) = ((float[])ev[N.Alpha], (float[])ex[N.Alpha]);
                for (var n = 0; n < 3; n++) Assert.AreEqual(ea[n], xa[n], 1e-5, $"alpha of sample {n}");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void ExportUsesTheLowestOpsetAndDescribesItself()
    {
        var o = NetworkFixture.Tiny(Method.UlcAg);
        var model = ModelExport.Build(o, NetworkFixture.Weights(o), new ExportSettings(["neutral", "happy", "sad"], "{\"mode\":\"box\"}"));
        Assert.AreEqual(11, model.OpsetImport.Single().Version);
        var meta = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.AreEqual("[\"neutral\",\"happy\",\"sad\"]", meta[ModelExport.KeyClasses]);
        Assert.AreEqual("32", meta[ModelExport.KeyInputSize]);
        Assert.AreEqual("NHWC", meta[ModelExport.KeyLayout]);
        Assert.AreEqual("uint8", meta[ModelExport.KeyInputType]);
        StringAssert.StartsWith(meta[ModelExport.KeyProducer], "UlcAg ");
        Assert.IsFalse(model.Graph.Node.Any(n => n.OpType.StartsWith("aux", StringComparison.Ordinal) || n.Name.Contains("aux", StringComparison.Ordinal)), "the export holds the target branch only");
        Assert.IsFalse(model.Graph.Initializer.Any(t => t.Name.StartsWith("aux.", StringComparison.Ordinal)));
    }
}
