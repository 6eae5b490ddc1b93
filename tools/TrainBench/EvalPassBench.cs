using UlcAg.Graph;
using UlcAg.Graph.Optim;
using UlcAg.Network.Models;
using UlcAg.Network.Layers;
using UlcAg.Runtime;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Tools.TrainBench;

/// <summary>
/// What the robust correction's clean pass over the training set costs against training on it: the
/// ULC-AG network (7 classes, 14 AUs) as the trainer builds it, a train step of <c>batch</c> images and
/// the eval graph at the eval batch, once as eval.onnx (any batch, ONNX Conv) and once at a fixed batch
/// with the device's lowered convolutions (what the trainer runs). Runs alternate (train, portable,
/// lowered, ...) so that a shared machine's slow phases hit all three; the share is the time per image of
/// an eval graph over the time per image of the train step: the clean pass's cost as a share of an
/// epoch's training.
/// </summary>
internal static class EvalPassBench
{
    public static void Run(int res, int batch, int evalBatch, int runs, int threads)
    {
        var net = new NetworkOptions
        {
            Method = Method.UlcAg, Classes = 7, AuCount = 14, InputSize = res, GcnSelfWeight = true,
            ConvLowering = Device.Cpu.PreferredConvLowering,
        };
        var step = UlcAgNetwork.BuildTrainStep(net, batch, new OptimizerSettings(OptimizerKind.Sgd, 0.9, 1e-4));
        var weights = Initializers.Default(step.Weights, seed: 0).ToDictionary(kv => kv.Key, kv => kv.Value.Data);
        using var session = new TrainingSession(step.Model, Device.Cpu, weights, threads);
        var rng = new Random(0);
        rng.NextBytes(session.Feed<byte>(N.Images));
        var labels = session.Feed<long>(N.Labels);
        for (var i = 0; i < labels.Length; i++) labels[i] = rng.Next(net.Classes);
        session.Feed<float>(N.ClassWeights).Fill(1);
        var targets = session.Feed<float>(N.AuTargets);
        for (var i = 0; i < targets.Length; i++) targets[i] = rng.Next(2);
        session.Feed<float>(N.AuMask).Fill(1);
        var adjacency = new float[net.AuCount * net.AuCount];
        for (var p = 0; p < net.AuCount; p++)
        {
            for (var q = 0; q < net.AuCount; q++) adjacency[p * net.AuCount + q] = 1f / net.AuCount;
        }
        adjacency.CopyTo(session.Feed<float>(N.Adjacency));
        foreach (var (name, value) in new[] { (N.Lambda1, 1f), (N.Lambda2, 1f), (N.RrMargin, 0.15f) }) session.Feed<float>(name)[0] = value;
        foreach (var group in new[] { N.GroupBackbone, N.GroupTarget, N.GroupAux }) session.Feed<float>(Optimizer.LearningRateInput(group))[0] = 0.01f;

        using var portable = new ModelRunner(UlcAgNetwork.BuildEval(net), Device.Cpu, threads);
        using var lowered = new ModelRunner(UlcAgNetwork.BuildEval(net, evalBatch), Device.Cpu, threads);
        var images = new byte[evalBatch * res * res * 3];
        rng.NextBytes(images);
        var state = session.ReadState();
        var feeds = step.Weights.ToDictionary(s => s.Name, s => ((Array)state[s.Name], s.Shape));
        feeds[N.Images] = (images, [evalBatch, res, res, 3]);
        feeds[N.Adjacency] = (adjacency, [net.AuCount, net.AuCount]);

        Action[] work = [session.Step, () => portable.Run(feeds), () => lowered.Run(feeds)];
        foreach (var w in work.Concat(work)) w(); // untimed: arena growth, allocation planning
        var times = work.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < runs; r++)
        {
            for (var k = 0; k < work.Length; k++) times[k].Add(Timing.Times(1, 0, work[k])[0]);
        }
        double PerImage(int k, int images) => times[k].Order().ElementAt(runs / 2) / images;
        var (train, onnx, gemm) = (PerImage(0, batch), PerImage(1, evalBatch), PerImage(2, evalBatch));
        Console.WriteLine($"res {res}, train batch {batch}, eval batch {evalBatch}, {runs} alternating runs each (medians):");
        Console.WriteLine($"  train step            {1 / train,7:F1} img/s");
        Console.WriteLine($"  eval.onnx (ONNX Conv) {1 / onnx,7:F1} img/s   clean pass = {onnx / train:P0} of the epoch's training");
        Console.WriteLine($"  eval, lowered         {1 / gemm,7:F1} img/s   clean pass = {gemm / train:P0} of the epoch's training");
        Console.WriteLine($"  lowered / ONNX Conv speed: {onnx / gemm:F2}x");
    }
}
