// Whole-pipeline training throughput (loader with augmentation + ULC-AG train step + the work
// between steps: class weights, templates, relabeling, metrics) against the bare train step of
// the same graph, batch and size, measured in one process.
//
//   dotnet run -c Release --project tools/PipelineBench -- --size 112 --batch 32 --steps 12 [--method ulcag]
//   dotnet run -c Release --project tools/PipelineBench -- --compare-steps 3   (baseline vs ULC-AG bare steps, alternating)
//
// "bare" = median time of TrainingSession.Step() on fixed feeds; "pipeline" = images/second of
// one trainer epoch (steps x batch images, validation excluded) from its metrics.jsonl.
using System.Diagnostics;
using UlcAg.Graph.Optim;
using UlcAg.Network.Layers;
using UlcAg.Network.Models;
using UlcAg.Runtime;
using UlcAg.Training.Config;
using UlcAg.Training.Metrics;
using UlcAg.Training.Trainer;
using N = UlcAg.Network.Models.ArtifactNames;

int size = 112, batch = 32, steps = 12, threads = 2;
var method = Method.UlcAg;
var compareRounds = 0;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--size": size = int.Parse(args[++i]); break;
        case "--batch": batch = int.Parse(args[++i]); break;
        case "--steps": steps = int.Parse(args[++i]); break;
        case "--threads": threads = int.Parse(args[++i]); break;
        case "--compare-steps": compareRounds = int.Parse(args[++i]); break;
        case "--method": method = args[++i] == "baseline" ? Method.Baseline : Method.UlcAg; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

if (compareRounds > 0)
{
    // Alternate the two graphs so that a disturbance from other processes hits both alike.
    for (var round = 1; round <= compareRounds; round++)
    {
        var baseline = BareStep(Method.Baseline);
        var ulcag = BareStep(Method.UlcAg);
        Console.WriteLine($"round {round}: baseline {baseline:F1} img/s | ULC-AG {ulcag:F1} img/s | auxiliary branch costs {100 * (baseline / ulcag - 1):F1}%");
    }
    return 0;
}

var dir = Path.Combine(Path.GetTempPath(), $"ulcag-pipeline-{Guid.NewGuid():N}");
try
{
    // 1. The whole pipeline: one epoch of steps x batch synthetic images.
    var options = new TrainOptions
    {
        Method = method, Seed = 1, Output = dir, RunName = "bench", Threads = threads,
        Data = new DataOptions
        {
            InputSize = size, CacheDir = Path.Combine(dir, "cache"), ValFraction = 0,
            Noise = new LabelNoiseOptions { Rate = 0.2 },
            Synthetic = new SyntheticOptions { Train = steps * batch, Test = batch },
        },
        Model = new ModelOptions { Pretrained = "none" },
        Train = new TrainLoopOptions { Epochs = 1, BatchSize = batch, Workers = 2, EvalBatchSize = batch },
        UlcAg = new UlcAgOptions { RelabelStartEpoch = 0 },
    };
    var code = new UlcAgTrainer().Run(options, TextWriter.Null, CancellationToken.None);
    if (code != 0) { Console.Error.WriteLine($"trainer exited with {code}"); return code; }
    var epoch = MetricsLog.Read(Path.Combine(dir, "bench", MetricsLog.FileName)).Entries.Single();
    var pipeline = epoch.ImagesPerSecond!.Value;

    // 2. The bare step of the same graph on fixed feeds.
    var bare = BareStep(method);
    Console.WriteLine($"{method} {size}x{size} batch {batch}: bare step {bare:F1} img/s | whole pipeline {pipeline:F1} img/s | " +
        $"pipeline costs {100 * (bare / pipeline - 1):F1}% on top of the step");
    return 0;
}
finally
{
    if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
}

// Median images/second of TrainingSession.Step() on fixed feeds (2 warm-up steps).
double BareStep(Method m)
{
    var net = new NetworkOptions { Method = m, Classes = 7, InputSize = size, AuCount = 14 };
    var step = UlcAgNetwork.BuildTrainStep(net, batch, new OptimizerSettings());
    var init = Initializers.Default(step.Weights, 0).ToDictionary(kv => kv.Key, kv => kv.Value.Data);
    using var session = new TrainingSession(step.Model, Device.Cpu, init, threads);
    new Random(0).NextBytes(session.Feed<byte>(N.Images));
    foreach (var name in session.FeedNames.Where(n => n.StartsWith("lr.", StringComparison.Ordinal) || n.StartsWith("lambda", StringComparison.Ordinal)))
        session.Feed<float>(name)[0] = 0.001f;
    session.Feed<float>(N.ClassWeights).Fill(0.8f);
    if (session.FeedNames.Contains(N.Adjacency)) session.Feed<float>(N.Adjacency).Fill(1f / 14);
    if (session.FeedNames.Contains(N.AuMask)) session.Feed<float>(N.AuMask).Fill(1f);
    var times = new List<double>();
    for (var i = 0; i < steps + 2; i++)
    {
        var sw = Stopwatch.StartNew();
        session.Step();
        if (i >= 2) times.Add(sw.Elapsed.TotalSeconds);
    }
    times.Sort();
    return batch / times[times.Count / 2];
}
