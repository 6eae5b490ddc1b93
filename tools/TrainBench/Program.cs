// ResNet-18 (torchvision topology, 7 classes) train step and forward pass through ONNX Runtime,
// the same work as ../shared/reference/torch_resnet18_bench.py measures for PyTorch:
// images/second of a train step (forward, cross-entropy, backward, SGD momentum 0.9, weight decay
// 1e-4) and of a forward pass at batch 32, batch-1 latency, and peak resident memory. On a GPU,
// tools/gpu-benchmark.sh alternates its train step with torch_train_bench.py (beside this file).
//
//   dotnet run -c Release --project tools/TrainBench -- --res 112 224 --batch 32 --runs 5
//
// --device cpu|cuda[:N] (default cpu; on cuda the graphs use ONNX Conv as the trainer's do there, the
// state lives in device memory, and the GPU package is needed: -p:UlcAgGpu=true; without it, or
// without CUDA, the benchmark stops with the trainer's message and exit code 3),
// --warmup N (untimed train steps before the timed ones, default 2),
// --conv onnx|gemm (default gemm: ConvLowering.NhwcGemm), --keep-mb N (forward im2col matrices
// the backward pass may reuse), --train-only, --profile PREFIX,
// --save-optimized PREFIX, --cpu-time, --no-arena, --no-mem-pattern, --parallel,
// --opt-level basic|extended|all, --chunk-mb N (largest im2col piece),
// --winograd 4|2|off (3x3 stride-1 convolutions as Winograd F(4x4,3x3) or F(2x2,3x3), default 4),
// --budget MIB|all (forward intermediates the backward pass may reuse; the rest are recomputed),
// --mem-pattern on|off, --arena on|off|same (ONNX Runtime's memory pattern and CPU arena),
// --ort KEY=VALUE, --threads N,
// --compare KEY=VALUE[,KEY=VALUE] (a second train step with these settings, its steps
// alternating with the first's so that both see the same machine; keys conv, chunk-mb, keep-mb,
// winograd, budget, mem-pattern, arena),
// --check (one train step with ONNX Conv, with perturbed weights and lowered, compared; uses
// the first --res and --batch, e.g. --check --res 112 --batch 8),
// --eval-pass EVAL_BATCH (the robust correction's clean pass against training: the ULC-AG train step
// alternating with its eval graph as eval.onnx and lowered at a fixed batch; the first --res, e.g.
// --eval-pass 128 --res 64 --batch 64 --runs 9).
using ExecutionMode = Microsoft.ML.OnnxRuntime.ExecutionMode;
using OrtEnv = Microsoft.ML.OnnxRuntime.OrtEnv;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using UlcAg.Cli;
using UlcAg.Graph;
using UlcAg.Graph.Optim;
using UlcAg.Network.Layers;
using UlcAg.Runtime;
using UlcAg.Tools.TrainBench;

var program = new CliProgram("TrainBench", "dotnet run -c Release --project tools/TrainBench -- [options]") { Epilogue = () => BenchOptions.ExitCodes };
if (!program.TryParse(BenchOptions.Command(), args, out var parsed, out var exitCode))
    return exitCode;
BenchOptions options;
try
{
    options = BenchOptions.From(parsed);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(program.Hint);
    return CliProgram.UsageExitCode;
}
var batch = options.Batch;
try
{
    return Measure();
}
catch (DeviceException e)
{
    // As the trainer reports it: one line, no stack trace.
    Console.Error.WriteLine($"error: {e.Message}");
    return BenchOptions.DeviceUnavailableExitCode;
}

int Measure()
{
    // Before any graph is built: a device that cannot be used says so at once.
    options.Device.CreateSessionOptions(options.Threads).Dispose();
    if (options.Check) return LoweringCheck.Run(options.Resolutions[0], batch, options.Threads) ? 0 : 1;
    if (options.EvalPassBatch is { } evalBatch)
    {
        EvalPassBench.Run(options.Resolutions[0], batch, evalBatch, options.Runs, options.Threads);
        return 0;
    }

    Console.WriteLine($"ONNX Runtime {OrtEnv.Instance().GetVersionString()}, device {options.Device}, threads {options.Threads}, batch {batch}, {options.Graph}");
    if (options.Compare is { } other)
    {
        foreach (var res in options.Resolutions) Compare(res, options.Graph, other);
        return 0;
    }
    foreach (var res in options.Resolutions)
    {
        var (opened, specs) = Open(res, options.Graph);
        using var session = opened;
        var rng = new Random(0);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        // A step returns once the loss is on the host: on CUDA the Run has synchronized its stream
        // and the loss was copied out, so each timed step includes all of its GPU work.
        var trainTimes = Timing.Times(options.Runs, 0, session.Step);
        var cpuPerStep = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds / options.Runs;
        var train = trainTimes[options.Runs / 2];
        if (options.Profile is not null) Console.WriteLine($"profile: {session.EndProfiling()}");
        // The fastest step is the one least disturbed by other jobs: a steadier figure than the
        // median for comparisons on a shared machine.
        var trainText = $"train {batch / train:F1} img/s (fastest step {batch / trainTimes[0]:F1})" + (options.CpuTime ? $", cpu {cpuPerStep:F0} ms/step" : "");
        if (options.TrainOnly)
        {
            Console.WriteLine($"res {res}: {trainText}");
            continue;
        }

        var state = session.ReadState();
        double ForwardSeconds(int n, int runs, int warmup)
        {
            using var runner = new ModelRunner(ResNetGraphs.Forward(res, n, options.Lowering), options.Device, options.Threads);
            var images = new byte[n * res * res * 3];
            rng.NextBytes(images);
            var feeds = specs.ToDictionary(s => s.Name, s => ((Array)state[s.Name], s.Shape));
            feeds["images"] = (images, [n, res, res, 3]);
            return Timing.Median(runs, warmup, () => runner.Run(feeds));
        }
        var forward = ForwardSeconds(batch, options.Runs, 2);
        var one = ForwardSeconds(1, Math.Max(options.Runs, 10), 3);
        Console.WriteLine($"res {res}: {trainText} | forward b{batch} {batch / forward:F1} img/s | forward b1 {one * 1000:F1} ms");
    }
    Console.WriteLine($"peak RSS {ProcessMemory.PeakResidentMiB():F0} MiB");
    return 0;
}

// A train-step session with random images and labels, warmed up by --warmup steps.
(TrainingSession Session, IReadOnlyList<UlcAg.Network.Weights.ParameterSpec> Specs) Open(int res, GraphSettings settings)
{
    var (model, specs) = ResNetGraphs.TrainStep(res, batch, settings);
    var init = Initializers.Default(specs, seed: 0).ToDictionary(kv => kv.Key, kv => kv.Value.Data);
    var session = new TrainingSession(model, options.Device, init, options.Threads, o =>
    {
        Configure(o, res);
        settings.Apply(o);
    });
    var rng = new Random(0);
    rng.NextBytes(session.Feed<byte>("images"));
    var labels = session.Feed<long>("labels");
    for (var i = 0; i < labels.Length; i++) labels[i] = rng.Next(ResNetGraphs.Classes);
    session.Feed<float>(Optimizer.LearningRateInput("default"))[0] = 0.01f;
    for (var i = 0; i < options.Warmup; i++) session.Step();
    return (session, specs);
}

// Steps of two graphs alternate (A B B A ...), so that slow phases of a shared machine hit both.
void Compare(int res, GraphSettings a, GraphSettings b)
{
    var (sa, _) = Open(res, a);
    var (sb, _) = Open(res, b);
    using (sa)
    using (sb)
    {
        var (ta, tb) = (new List<double>(), new List<double>());
        // Untimed first steps (arena growth, allocation planning), in both orders.
        foreach (var s in new[] { sa, sb, sb, sa }) s.Step();
        for (var i = 0; i < options.Runs; i++)
        {
            var order = i % 2 == 0 ? new[] { (sa, ta), (sb, tb) } : [(sb, tb), (sa, ta)];
            foreach (var (s, times) in order) times.Add(Timing.Times(1, 0, s.Step)[0]);
        }
        double Median(List<double> t) => t.Order().ElementAt(t.Count / 2);
        var ratios = ta.Zip(tb, (x, y) => x / y).Order().ToArray();
        Console.WriteLine($"res {res}, {options.Runs} alternating steps each:");
        Console.WriteLine($"  A ({a}): {batch / Median(ta):F1} img/s");
        Console.WriteLine($"  B ({b}): {batch / Median(tb):F1} img/s");
        Console.WriteLine($"  B/A speed: median of paired ratios {ratios[ratios.Length / 2]:F3} (quartiles {ratios[ratios.Length / 4]:F3}-{ratios[3 * ratios.Length / 4]:F3})");
    }
}

void Configure(SessionOptions o, int res)
{
    if (options.Profile is not null)
    {
        o.EnableProfiling = true;
        o.ProfileOutputPathPrefix = options.Profile;
    }
    if (options.SaveOptimized is not null) o.OptimizedModelFilePath = $"{options.SaveOptimized}.{res}.onnx";
    // Without spinning, the process's CPU time counts work only.
    if (options.CpuTime) o.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
    foreach (var (key, value) in options.SessionConfig) o.AddSessionConfigEntry(key, value);
    o.EnableCpuMemArena = options.Arena;
    if (options.OptimizationLevel is { } level) o.GraphOptimizationLevel = level;
    if (options.NoMemoryPattern) o.EnableMemoryPattern = false;
    if (options.Parallel)
    {
        o.ExecutionMode = ExecutionMode.ORT_PARALLEL;
        o.InterOpNumThreads = 2;
    }
}
