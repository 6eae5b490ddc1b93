// Whole-pipeline training throughput (loader with augmentation + ULC-AG train step + the work
// between steps: class weights, templates, relabeling, metrics) against the bare train step of
// the same graph, batch and size, measured in one process.
//
//   dotnet run -c Release --project tools/PipelineBench -- --size 112 --batch 32 --steps 12 [--method ulcag]
//   dotnet run -c Release --project tools/PipelineBench -- --compare-steps 3 --steps 10 [--size 224]
//       (baseline vs ULC-AG bare steps: both sessions loaded, steps alternating; 3 rounds of 10 steps each)
//
// "bare" = median time of TrainingSession.Step() on fixed feeds; "pipeline" = images/second of
// the trainer's second epoch (steps x batch images, validation excluded) from its metrics.jsonl,
// so that session start-up and the first, slower Run are not counted against the pipeline.
using System.CommandLine;
using System.Diagnostics;
using UlcAg.Cli;
using UlcAg.Data.Noise;
using UlcAg.Data.Synthetic;
using UlcAg.Graph.Optim;
using UlcAg.Network.Layers;
using UlcAg.Network.Models;
using UlcAg.Runtime;
using UlcAg.Training.Config;
using UlcAg.Training.Metrics;
using UlcAg.Training.Trainer;
using N = UlcAg.Network.Models.ArtifactNames;

var sizeOption = CliOptions.Value("--size", "PIXELS", "Input size (default 112).", CliOptions.Int("--size", minimum: 1), 112);
var batchOption = CliOptions.Value("--batch", "N", "Images per step (default 32).", CliOptions.Int("--batch", minimum: 1), 32);
var stepsOption = CliOptions.Value("--steps", "N", "Steps per epoch, and timed bare steps (default 12).", CliOptions.Int("--steps", minimum: 1), 12);
var threadsOption = CliOptions.Value("--threads", "N", "ONNX Runtime threads (default 2).", CliOptions.Int("--threads", minimum: 1), 2);
var methodOption = CliOptions.Value("--method", "ulcag|baseline", "The method measured (default ulcag).",
    CliOptions.OneOf("--method", new Dictionary<string, Method> { ["ulcag"] = Method.UlcAg, ["baseline"] = Method.Baseline }), Method.UlcAg);
var compareOption = CliOptions.Value("--compare-steps", "ROUNDS",
    "Instead: baseline against ULC-AG bare steps, both sessions loaded and their steps alternating; ROUNDS rounds of --steps steps each.",
    CliOptions.Int("--compare-steps", minimum: 0), 0);
var command = new RootCommand("""
    Whole-pipeline training throughput (loader with augmentation + ULC-AG train step + the work between
    steps) against the bare train step of the same graph, batch and size, measured in one process.
    """)
{
    sizeOption, batchOption, stepsOption, threadsOption, methodOption, compareOption,
};
if (!new CliProgram("PipelineBench", "dotnet run -c Release --project tools/PipelineBench -- [options]").TryParse(command, args, out var parsed, out var exitCode))
    return exitCode;
var (size, batch, steps, threads) = (parsed.GetValue(sizeOption), parsed.GetValue(batchOption), parsed.GetValue(stepsOption), parsed.GetValue(threadsOption));
var method = parsed.GetValue(methodOption);
var compareRounds = parsed.GetValue(compareOption);

if (compareRounds > 0)
{
    // Both graphs stay loaded and their steps alternate one by one (the order flips every pair), so
    // that drift in the machine's speed hits both alike; each round reports the medians of its steps.
    using var baselineSession = Session(Method.Baseline);
    using var ulcagSession = Session(Method.UlcAg);
    for (var warm = 0; warm < 2; warm++)
    {
        baselineSession.Step();
        ulcagSession.Step();
    }
    var (allBaseline, allUlcag) = (new List<double>(), new List<double>());
    for (var round = 1; round <= compareRounds; round++)
    {
        var (baselineTimes, ulcagTimes) = (new List<double>(), new List<double>());
        for (var i = 0; i < steps; i++)
        {
            var pair = i % 2 == 0 ? new[] { (baselineSession, baselineTimes), (ulcagSession, ulcagTimes) } : [(ulcagSession, ulcagTimes), (baselineSession, baselineTimes)];
            foreach (var (session, times) in pair)
                times.Add(Time(session));
        }
        var baseline = batch / Median(baselineTimes);
        var ulcag = batch / Median(ulcagTimes);
        Console.WriteLine($"{size}x{size} round {round}: baseline {baseline:F1} img/s | ULC-AG {ulcag:F1} img/s | ULC-AG costs {100 * (baseline / ulcag - 1):F1}% on top of the baseline step");
        allBaseline.AddRange(baselineTimes);
        allUlcag.AddRange(ulcagTimes);
    }
    var (b, u) = (batch / Median(allBaseline), batch / Median(allUlcag));
    Console.WriteLine($"{size}x{size} all {allBaseline.Count} steps each: baseline {b:F1} img/s | ULC-AG {u:F1} img/s | ULC-AG costs {100 * (b / u - 1):F1}% on top of the baseline step");
    return 0;
}

var dir = Path.Combine(Path.GetTempPath(), $"ulcag-pipeline-{Guid.NewGuid():N}");
try
{
    // 1. The whole pipeline: two epochs of steps x batch synthetic images; the second is measured.
    var options = new TrainOptions
    {
        Method = method, Seed = 1, Output = dir, RunName = "bench", Threads = threads,
        Data = new DataOptions
        {
            InputSize = size, CacheDir = Path.Combine(dir, "cache"), ValFraction = 0,
            Noise = new NoiseOptions { Rate = 0.2 },
            Synthetic = new SyntheticFaceOptions { Train = steps * batch, Test = batch },
        },
        Model = new ModelOptions { Pretrained = "none" },
        Train = new TrainLoopOptions { Epochs = 2, BatchSize = batch, Workers = 2, EvalBatchSize = batch },
        UlcAg = new UlcAgOptions { RelabelStartEpoch = 0 },
    };
    var code = new UlcAgTrainer().Run(options, TextWriter.Null, CancellationToken.None);
    if (code != 0) { Console.Error.WriteLine($"trainer exited with {code}"); return code; }
    var epoch = MetricsLog.Read(new UlcAg.Training.RunFolder(Path.Combine(dir, "bench")).Metrics).Entries[^1];
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
    using var session = Session(m);
    var times = new List<double>();
    for (var i = 0; i < steps + 2; i++)
    {
        var t = Time(session);
        if (i >= 2) times.Add(t);
    }
    return batch / Median(times);
}

// A train-step session of method m with random images and plausible scalar feeds.
TrainingSession Session(Method m)
{
    // Convolutions as the trainer emits them on this device.
    var net = new NetworkOptions { Method = m, Classes = 7, InputSize = size, AuCount = 14, ConvLowering = Device.Cpu.PreferredConvLowering };
    var step = UlcAgNetwork.BuildTrainStep(net, batch, new OptimizerSettings(OptimizerKind.Sgd, 0.9, 1e-4));
    var init = Initializers.Default(step.Weights, 0).ToDictionary(kv => kv.Key, kv => kv.Value.Data);
    var session = new TrainingSession(step.Model, Device.Cpu, init, threads);
    new Random(0).NextBytes(session.Feed<byte>(N.Images));
    foreach (var name in session.FeedNames.Where(n => n.StartsWith("lr.", StringComparison.Ordinal) || n.StartsWith("lambda", StringComparison.Ordinal)))
        session.Feed<float>(name)[0] = 0.001f;
    session.Feed<float>(N.ClassWeights).Fill(0.8f);
    if (session.FeedNames.Contains(N.Adjacency)) session.Feed<float>(N.Adjacency).Fill(1f / 14);
    if (session.FeedNames.Contains(N.AuMask)) session.Feed<float>(N.AuMask).Fill(1f);
    return session;
}

static double Time(TrainingSession session)
{
    var sw = Stopwatch.StartNew();
    session.Step();
    return sw.Elapsed.TotalSeconds;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
