// ResNet-18 (torchvision topology, 7 classes) train step and forward pass through ONNX Runtime,
// the same work as ../shared/reference/torch_resnet18_bench.py measures for PyTorch:
// images/second of a train step (forward, cross-entropy, backward, SGD momentum 0.9, weight decay
// 1e-4) and of a forward pass at batch 32, batch-1 latency, and peak resident memory.
//
//   dotnet run -c Release --project tools/TrainBench -- --res 112 224 --batch 32 --runs 5
using System.Diagnostics;
using UlcAg.Graph;
using UlcAg.Graph.Optim;
using UlcAg.Network.Layers;
using UlcAg.Network.Models;
using UlcAg.Runtime;

var resolutions = new List<int>();
int batch = 32, runs = 5, threads = 2;
string? profile = null, optimized = null;
var lowering = ConvLowering.NhwcGemm;
bool trainOnly = false, cpuTime = false, arena = true;
var config = new List<(string Key, string Value)>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--res": while (i + 1 < args.Length && int.TryParse(args[i + 1], out var r)) { resolutions.Add(r); i++; } break;
        case "--batch": batch = int.Parse(args[++i]); break;
        case "--runs": runs = int.Parse(args[++i]); break;
        case "--threads": threads = int.Parse(args[++i]); break;
        case "--profile": profile = args[++i]; break;
        case "--save-optimized": optimized = args[++i]; break;
        case "--train-only": trainOnly = true; break;
        case "--no-arena": arena = false; break;
        case "--ort":
            var kv = args[++i].Split('=', 2);
            config.Add((kv[0], kv[1]));
            break;
        case "--cpu-time": cpuTime = true; break;
        case "--conv": lowering = args[++i] == "onnx" ? ConvLowering.None : ConvLowering.NhwcGemm; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}
if (resolutions.Count == 0) resolutions = [112, 224];
const int classes = 7;
Console.WriteLine($"ONNX Runtime {Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()}, threads {threads}, batch {batch}, convolutions {lowering}");

foreach (var res in resolutions)
{
    var (trainModel, specs) = BuildTrain(res);
    var init = Initializers.Default(specs, seed: 0).ToDictionary(kv => kv.Key, kv => kv.Value.Data);
    using var session = new TrainingSession(trainModel, Device.Cpu, init, threads, o =>
    {
        if (profile is not null) { o.EnableProfiling = true; o.ProfileOutputPathPrefix = profile; }
        if (optimized is not null) o.OptimizedModelFilePath = $"{optimized}.{res}.onnx";
        // Without spinning, the process's CPU time counts work only: a steadier figure than
        // wall time when other jobs share the machine.
        if (cpuTime) o.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        foreach (var (key, value) in config) o.AddSessionConfigEntry(key, value);
        o.EnableCpuMemArena = arena;
    });
    var rng = new Random(0);
    rng.NextBytes(session.Feed<byte>("images"));
    var labels = session.Feed<long>("labels");
    for (var i = 0; i < labels.Length; i++) labels[i] = rng.Next(classes);
    session.Feed<float>(Optimizer.LearningRateInput("default"))[0] = 0.01f;
    for (var i = 0; i < 2; i++) session.Step();
    var cpuBefore = Environment.CpuUsage.TotalTime;
    var trainTimes = Times(runs, 0, session.Step);
    var train = trainTimes[runs / 2];
    var cpuPerStep = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds / runs;
    if (profile is not null) Console.WriteLine($"profile: {session.EndProfiling()}");
    if (trainOnly)
    {
        // The fastest step is the one least disturbed by other jobs: a steadier figure for A/B
        // comparisons on a shared machine than the median.
        Console.WriteLine($"res {res}: train {batch / train:F1} img/s (fastest step {batch / trainTimes[0]:F1})" + (cpuTime ? $" | cpu {cpuPerStep:F0} ms/step" : ""));
        continue;
    }

    var eval = BuildEval(res);
    using var runner = new ModelRunner(eval.ToBytes(), Device.Cpu, threads);
    var state = session.ReadState();
    var images = new byte[batch * res * res * 3];
    rng.NextBytes(images);
    Dictionary<string, (Array, long[])> Feeds(int n)
    {
        var f = specs.ToDictionary(s => s.Name, s => ((Array)state[s.Name], s.Shape));
        f["images"] = (images.AsSpan(0, n * res * res * 3).ToArray(), [n, res, res, 3]);
        return f;
    }
    var fb = Feeds(batch);
    var f1 = Feeds(1);
    var forward = Median(runs, 2, () => runner.Run(fb));
    var one = Median(Math.Max(runs, 10), 3, () => runner.Run(f1));
    Console.WriteLine($"res {res}: train {batch / train:F1} img/s | forward b{batch} {batch / forward:F1} img/s | forward b1 {one * 1000:F1} ms");
}
Console.WriteLine($"peak RSS {PeakRssMiB():F0} MiB");
return 0;

(byte[] Model, IReadOnlyList<UlcAg.Network.Weights.ParameterSpec> Specs) BuildTrain(int res)
{
    var g = new GraphBuilder("resnet18_train") { ConvLowering = lowering };
    var m = new ModelContext(g, GraphMode.Train);
    var x = ImageInput.Normalize(g, g.Input("images", DType.UInt8, batch, res, res, 3), Normalization.ImageNet);
    var logits = ResNet18.ForwardHead(m, ResNet18.ForwardFeatures(m, x, "default"), classes, "default");
    var y = g.Input("labels", DType.Int64, batch);
    var loss = -g.MeanAll(g.ReduceSum(g.LogSoftmax(logits) * g.OneHot(y, classes), [1]));
    var transitions = TrainStep.Build(g, loss, m.Parameters, new Sgd([new ParamGroup("default", 1e-4)], 0.9), m.BufferUpdates, [("loss", loss)]);
    return (g.ToBytes(new OnnxExportOptions { Metadata = new Dictionary<string, string>([TrainStep.StateMetadata(transitions)]) }), m.Specs);
}

GraphBuilder BuildEval(int res)
{
    var g = new GraphBuilder("resnet18_eval") { ConvLowering = lowering };
    var m = new ModelContext(g, GraphMode.Eval);
    var x = ImageInput.Normalize(g, g.Input("images", DType.UInt8, Shape.Dynamic, res, res, 3), Normalization.ImageNet);
    g.Output(ResNet18.ForwardHead(m, ResNet18.ForwardFeatures(m, x, "default"), classes, "default"), "logits");
    return g;
}

static double Median(int runs, int warmup, Action step) => Times(runs, warmup, step)[runs / 2];

static double[] Times(int runs, int warmup, Action step)
{
    for (var i = 0; i < warmup; i++) step();
    var times = new double[runs];
    for (var i = 0; i < runs; i++)
    {
        var sw = Stopwatch.StartNew();
        step();
        times[i] = sw.Elapsed.TotalSeconds;
    }
    Array.Sort(times);
    return times;
}

static double PeakRssMiB()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }
    return double.NaN;
}
