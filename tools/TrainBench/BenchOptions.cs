using System.CommandLine;
using UlcAg.Cli;
using UlcAg.Graph;
using Device = UlcAg.Runtime.Device;
using GraphOptimizationLevel = Microsoft.ML.OnnxRuntime.GraphOptimizationLevel;

namespace UlcAg.Tools.TrainBench;

/// <summary>Command-line options of the benchmark.</summary>
internal sealed record BenchOptions
{
    private const string About = """
        ResNet-18 (torchvision topology, 7 classes) train step and forward pass through ONNX Runtime:
        images/second of a train step (forward, cross-entropy, backward, SGD momentum 0.9, weight decay
        1e-4) and of a forward pass, batch-1 latency, and peak resident memory.
        """;

    /// <summary>Exit code when the device cannot be used (no GPU package in this build, no CUDA libraries, no GPU).</summary>
    public const int DeviceUnavailableExitCode = 3;

    /// <summary>The exit codes, as <c>--help</c> prints them.</summary>
    public const string ExitCodes = """
        Exit codes: 0 measured; 1 --check found a difference; 2 the command line cannot be run;
        3 the device cannot be used (a build without the GPU package, CUDA libraries missing, no GPU).

        """;

    private static readonly Option<List<int>> ResOption = CliOptions.List("--res", "N...", "Input resolutions (default 112 224).", CliOptions.Int("--res", minimum: 1), severalPerOccurrence: true);
    private static readonly Option<int> BatchOption = CliOptions.Value("--batch", "N", "Images per step (default 32).", CliOptions.Int("--batch", minimum: 1), 32);
    private static readonly Option<int> RunsOption = CliOptions.Value("--runs", "N", "Timed steps per figure (default 5).", CliOptions.Int("--runs", minimum: 1), 5);
    private static readonly Option<int> WarmupOption = CliOptions.Value("--warmup", "N", "Untimed train steps before the timed ones (default 2).", CliOptions.Int("--warmup", minimum: 0), 2);
    private static readonly Option<Device> DeviceOption = CliOptions.Value("--device", "cpu|cuda[:N]",
        "Where the steps run (default cpu). On cuda the graphs are built as the trainer builds them for that device " +
        "(ONNX Conv) and the state lives in device memory; needs a build with the GPU package (-p:UlcAgGpu=true).",
        text => Device.TryParse(text, out var device) ? device : throw new UsageException($"--device takes cpu, cuda or cuda:N, got '{text}'"), Device.Cpu);
    private static readonly Option<int> ThreadsOption = CliOptions.Value("--threads", "N", "ONNX Runtime intra-op threads (default 2).", CliOptions.Int("--threads", minimum: 1), 2);
    private static readonly Option<string?> ConvOption = GraphOption("conv", "onnx|gemm", "Convolutions as ONNX Conv or lowered to gathers + GEMMs (default gemm).");
    private static readonly Option<string?> ChunkOption = GraphOption("chunk-mb", "N", "Largest im2col piece, MiB.");
    private static readonly Option<string?> KeepOption = GraphOption("keep-mb", "N", "Forward im2col matrices the backward pass may reuse, MiB.");
    private static readonly Option<string?> WinogradOption = GraphOption("winograd", "4|2|off",
        "3x3 stride-1 convolutions as Winograd F(4x4,3x3) or F(2x2,3x3), or im2col (default 4).");
    private static readonly Option<string?> BudgetOption = GraphOption("budget", "MIB|all",
        "Forward intermediates (Winograd tiles, im2col matrices) the backward pass may reuse, MiB; the rest are recomputed (default all; train.memory_budget defaults to 0).");
    private static readonly Option<string?> MemPatternOption = GraphOption("mem-pattern", "on|off", "ONNX Runtime's memory pattern for the train step (default off, as TrainingSession sets it).");
    private static readonly Option<string?> ArenaOption = GraphOption("arena", "on|off|same",
        "ONNX Runtime's CPU arena: the session's own (on, default), none, or one shared arena growing by what is asked (same).");
    private static readonly Option<string?> CompareOption = CliOptions.Value<string?>("--compare", "KEY=VALUE[,KEY=VALUE]",
        "A second train step with these settings (keys conv, chunk-mb, keep-mb, winograd, budget, mem-pattern, arena) on top of the ones before it, " +
        "its steps alternating with the first's so that both see the same machine.",
        text => Checked(() => Compared(new GraphSettings(ConvLowering.None), text), text), null);
    private static readonly Option<string?> ProfileOption = CliOptions.Text("--profile", "PREFIX", "Write an ONNX Runtime profile of the train step.");
    private static readonly Option<string?> SaveOptimizedOption = CliOptions.Text("--save-optimized", "PREFIX", "Save the train-step model as ONNX Runtime optimized it.");
    private static readonly Option<bool> TrainOnlyOption = CliOptions.Flag("--train-only", "Time the train step only.");
    private static readonly Option<bool> CpuTimeOption = CliOptions.Flag("--cpu-time", "Report CPU time per step (ONNX Runtime threads do not spin).");
    private static readonly Option<bool> NoArenaOption = CliOptions.Flag("--no-arena", "Turn off ONNX Runtime's CPU memory arena.");
    private static readonly Option<bool> ParallelOption = CliOptions.Flag("--parallel", "ONNX Runtime's parallel execution mode (2 inter-op threads).");
    private static readonly Option<bool> NoMemPatternOption = CliOptions.Flag("--no-mem-pattern", "Turn off ONNX Runtime's memory pattern.");
    private static readonly Option<bool> CheckOption = CliOptions.Flag("--check",
        "One train step with ONNX Conv, with perturbed weights and lowered, compared; uses the first --res and --batch (e.g. --check --res 112 --batch 8).");
    private static readonly Option<int?> EvalPassOption = CliOptions.Value<int?>("--eval-pass", "EVAL_BATCH",
        "The clean pass's cost: the ULC-AG train step (--batch) alternating with its eval graph at this batch, as eval.onnx (ONNX Conv) and lowered; uses the first --res.",
        text => CliOptions.Int("--eval-pass", minimum: 1)(text), null);
    private static readonly Option<GraphOptimizationLevel?> OptLevelOption = CliOptions.Value<GraphOptimizationLevel?>("--opt-level", "basic|extended|all",
        "ONNX Runtime graph optimization level (default all).",
        text => CliOptions.OneOf("--opt-level", new Dictionary<string, GraphOptimizationLevel>
        {
            ["basic"] = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            ["extended"] = GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
            ["all"] = GraphOptimizationLevel.ORT_ENABLE_ALL,
        })(text),
        null);
    private static readonly Option<List<(string Key, string Value)>> OrtOption = CliOptions.List("--ort", "KEY=VALUE",
        "An ONNX Runtime session configuration entry; repeatable.",
        text => text.Split('=', 2) is [var key, var value] ? (key, value) : throw new UsageException($"--ort takes KEY=VALUE, got '{text}'"),
        severalPerOccurrence: false);

    public IReadOnlyList<int> Resolutions { get; private init; } = [112, 224];
    public int Batch { get; private init; } = 32;
    public int Runs { get; private init; } = 5;
    public int Warmup { get; private init; } = 2;
    public int Threads { get; private init; } = 2;

    /// <summary>Where the sessions run.</summary>
    public Device Device { get; private init; } = Device.Cpu;

    /// <summary>How the measured graphs are built: the device's convolutions, then the graph options in command-line order.</summary>
    public GraphSettings Graph { get; private init; } = new(Device.Cpu.PreferredConvLowering);

    /// <summary>A second train-step graph whose steps alternate with the first's (<c>--compare KEY=VALUE,...</c>).</summary>
    public GraphSettings? Compare { get; private init; }

    public ConvLowering Lowering => Graph.Lowering;

    /// <summary>Prefix of an ONNX Runtime profile of the train step.</summary>
    public string? Profile { get; private init; }

    /// <summary>Prefix of the train-step model as ONNX Runtime optimized it.</summary>
    public string? SaveOptimized { get; private init; }

    public bool TrainOnly { get; private init; }
    public bool CpuTime { get; private init; }
    public bool Arena { get; private init; } = true;
    public bool Parallel { get; private init; }

    /// <summary>Turn off ONNX Runtime's memory pattern (one planned block per run).</summary>
    public bool NoMemoryPattern { get; private init; }

    /// <summary>ONNX Runtime graph optimization level (default: all, as the runtime sets it).</summary>
    public GraphOptimizationLevel? OptimizationLevel { get; private init; }

    /// <summary>Compare one ResNet-18 train step with and without lowered convolutions, then stop.</summary>
    public bool Check { get; private init; }

    /// <summary>The eval batch of the clean-pass comparison (<c>--eval-pass</c>), or null.</summary>
    public int? EvalPassBatch { get; private init; }

    /// <summary>Extra ONNX Runtime session configuration entries.</summary>
    public IReadOnlyList<(string Key, string Value)> SessionConfig { get; private init; } = [];

    /// <summary>The benchmark's command line.</summary>
    public static RootCommand Command() => new(About)
    {
        ResOption, BatchOption, RunsOption, WarmupOption, DeviceOption, ThreadsOption, ConvOption, ChunkOption, KeepOption, WinogradOption, BudgetOption, MemPatternOption, ArenaOption, CompareOption,
        ProfileOption, SaveOptimizedOption, TrainOnlyOption, CpuTimeOption, NoArenaOption, ParallelOption, NoMemPatternOption,
        OptLevelOption, OrtOption, CheckOption, EvalPassOption,
    };

    /// <summary>The options of a parsed command line; graph settings and <c>--compare</c> apply in the order given.</summary>
    public static BenchOptions From(ParseResult result)
    {
        var defaults = new BenchOptions();
        var device = result.GetValue(DeviceOption)!;
        var check = result.GetValue(CheckOption);
        var evalPass = result.GetValue(EvalPassOption);
        if (device.IsCuda && (check || evalPass is not null))
            throw new UsageException("--check and --eval-pass compare CPU lowerings and run on the CPU only; leave out --device");
        // As the trainer builds its graphs for the device (RunSetup: Device.PreferredConvLowering).
        var graph = new GraphSettings(device.PreferredConvLowering);
        GraphSettings? compare = null;
        foreach (var (option, value) in CliOptions.InOrder(result, ConvOption, ChunkOption, KeepOption, WinogradOption, BudgetOption, MemPatternOption, ArenaOption, CompareOption))
        {
            if (option == CompareOption)
                compare = Compared(graph, value);
            else
                graph = graph.With(option.Name[2..], value);
        }

        return new BenchOptions
        {
            Resolutions = result.GetValue(ResOption) is { Count: > 0 } res ? res : defaults.Resolutions,
            Batch = result.GetValue(BatchOption),
            Runs = result.GetValue(RunsOption),
            Warmup = result.GetValue(WarmupOption),
            Device = device,
            Threads = result.GetValue(ThreadsOption),
            Graph = graph,
            Compare = compare,
            Profile = result.GetValue(ProfileOption),
            SaveOptimized = result.GetValue(SaveOptimizedOption),
            TrainOnly = result.GetValue(TrainOnlyOption),
            CpuTime = result.GetValue(CpuTimeOption),
            Arena = !result.GetValue(NoArenaOption),
            Parallel = result.GetValue(ParallelOption),
            NoMemoryPattern = result.GetValue(NoMemPatternOption),
            OptimizationLevel = result.GetValue(OptLevelOption),
            Check = check,
            EvalPassBatch = evalPass,
            SessionConfig = result.GetValue(OrtOption) ?? [],
        };
    }

    // A graph setting (--conv, --chunk-mb, ...), checked when parsed and applied in command-line order.
    private static Option<string?> GraphOption(string key, string valueName, string description) =>
        CliOptions.Value<string?>("--" + key, valueName, description, text => Checked(() => new GraphSettings(ConvLowering.None).With(key, text), text), null);

    private static GraphSettings Compared(GraphSettings graph, string pairs) => pairs.Split(',').Aggregate(graph, (settings, pair) =>
        pair.Split('=', 2) is [var key, var value] ? settings.With(key, value) : throw new UsageException($"--compare takes KEY=VALUE[,KEY=VALUE], got '{pair}'"));

    private static T Checked<T>(Func<GraphSettings> check, T value)
    {
        try
        {
            check();
            return value;
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }
}

/// <summary>The <see cref="GraphBuilder"/> settings a benchmark varies.</summary>
internal sealed record GraphSettings(ConvLowering Lowering, long? ChunkBytes = null, long? KeepColumnsBytes = null, int? WinogradTile = null,
    long? KeepBytes = null, bool? MemoryPattern = null, ArenaChoice? Arena = null)
{
    public void Apply(GraphBuilder g)
    {
        g.ConvLowering = Lowering;
        if (ChunkBytes is { } chunk) g.ConvLoweringChunkBytes = chunk;
        if (KeepColumnsBytes is { } keep) g.ConvLoweringKeepColumnsBytes = keep;
        if (WinogradTile is { } tile) g.ConvLoweringWinogradTile = tile;
        if (KeepBytes is { } all) g.ConvLoweringKeepBytes = all;
    }

    /// <summary>The session options these settings change (memory pattern, CPU arena).</summary>
    public void Apply(Microsoft.ML.OnnxRuntime.SessionOptions o)
    {
        // TrainingSession turns the memory pattern off, as the trainer runs it; on only when asked.
        if (MemoryPattern is { } pattern) o.EnableMemoryPattern = pattern;
        switch (Arena)
        {
            case ArenaChoice.Off:
                o.EnableCpuMemArena = false;
                break;
            case ArenaChoice.SameAsRequested:
                SharedArena.Register();
                o.AddSessionConfigEntry("session.use_env_allocators", "1");
                break;
        }
    }

    /// <summary>These settings with <paramref name="key"/> (conv, chunk-mb, keep-mb, winograd, budget, mem-pattern, arena) set to <paramref name="value"/>.</summary>
    public GraphSettings With(string key, string value) => key switch
    {
        "budget" => this with { KeepBytes = value == "all" ? long.MaxValue : MiB(key, value) },
        "mem-pattern" => this with
        {
            MemoryPattern = value switch
            {
                "on" => true,
                "off" => false,
                _ => throw new ArgumentException($"mem-pattern takes on or off, got '{value}'"),
            },
        },
        "arena" => this with
        {
            Arena = value switch
            {
                "on" => ArenaChoice.On,
                "off" => ArenaChoice.Off,
                "same" => ArenaChoice.SameAsRequested,
                _ => throw new ArgumentException($"arena takes on, off or same (one shared arena growing by what is asked), got '{value}'"),
            },
        },
        "conv" => this with
        {
            Lowering = value switch
            {
                "onnx" => ConvLowering.None,
                "gemm" => ConvLowering.NhwcGemm,
                _ => throw new ArgumentException($"conv takes onnx or gemm, got '{value}'"),
            },
        },
        "chunk-mb" => this with { ChunkBytes = MiB(key, value) },
        "keep-mb" => this with { KeepColumnsBytes = MiB(key, value) },
        "winograd" => this with
        {
            WinogradTile = value switch
            {
                "off" => 0,
                "2" => 2,
                "4" => 4,
                _ => throw new ArgumentException($"winograd takes 2, 4 (output tile) or off, got '{value}'"),
            },
        },
        _ => throw new ArgumentException($"unknown graph setting '{key}' (conv, chunk-mb, keep-mb, winograd, budget, mem-pattern, arena)"),
    };

    public override string ToString() => $"convolutions {Lowering}" + (ChunkBytes is { } c ? $", chunks {c >> 20} MiB" : "") + (KeepColumnsBytes is { } k ? $", kept columns {k >> 20} MiB" : "")
        + (WinogradTile is { } w ? $", Winograd {(w == 0 ? "off" : $"F({w}x{w},3x3)")}" : "")
        + (KeepBytes is { } b ? $", budget {(b == long.MaxValue ? "all" : $"{b >> 20} MiB")}" : "")
        + (MemoryPattern is { } p ? $", memory pattern {(p ? "on" : "off")}" : "") + (Arena is { } a ? $", arena {a}" : "");

    private static long MiB(string key, string value)
        => long.TryParse(value, out var v) && v >= 0 ? v << 20 : throw new ArgumentException($"{key} takes a number of MiB, got '{value}'");
}

/// <summary>ONNX Runtime's CPU arena: its own per session (on), none (off), or one shared arena that grows by exactly what is asked.</summary>
internal enum ArenaChoice
{
    On,
    Off,
    SameAsRequested,
}

/// <summary>One CPU arena for the process that grows by what is asked (kSameAsRequested), registered once.</summary>
internal static class SharedArena
{
    private static bool _registered;

    public static void Register()
    {
        if (_registered) return;
        using var info = new Microsoft.ML.OnnxRuntime.OrtMemoryInfo(Microsoft.ML.OnnxRuntime.OrtMemoryInfo.allocatorCPU,
            Microsoft.ML.OnnxRuntime.OrtAllocatorType.ArenaAllocator, 0, Microsoft.ML.OnnxRuntime.OrtMemType.Default);
        using var config = new Microsoft.ML.OnnxRuntime.OrtArenaCfg(0, 1, -1, -1);
        Microsoft.ML.OnnxRuntime.OrtEnv.Instance().CreateAndRegisterAllocator(info, config);
        _registered = true;
    }
}
