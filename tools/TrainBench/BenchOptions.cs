using UlcAg.Graph;

namespace UlcAg.Tools.TrainBench;

/// <summary>Command-line options of the benchmark.</summary>
internal sealed record BenchOptions
{
    public List<int> Resolutions { get; } = [];
    public int Batch { get; private set; } = 32;
    public int Runs { get; private set; } = 5;
    public int Threads { get; private set; } = 2;
    /// <summary>How the measured graphs are built.</summary>
    public GraphSettings Graph { get; private set; } = new(UlcAg.Runtime.Device.Cpu.PreferredConvLowering);

    /// <summary>A second train-step graph whose steps alternate with the first's (<c>--compare KEY=VALUE,...</c>).</summary>
    public GraphSettings? Compare { get; private set; }

    public ConvLowering Lowering => Graph.Lowering;

    /// <summary>Prefix of an ONNX Runtime profile of the train step.</summary>
    public string? Profile { get; private set; }

    /// <summary>Prefix of the train-step model as ONNX Runtime optimized it.</summary>
    public string? SaveOptimized { get; private set; }

    public bool TrainOnly { get; private set; }
    public bool CpuTime { get; private set; }
    public bool Arena { get; private set; } = true;
    public bool Parallel { get; private set; }

    /// <summary>Turn off ONNX Runtime's memory pattern (one planned block per run).</summary>
    public bool NoMemoryPattern { get; private set; }

    /// <summary>ONNX Runtime graph optimization level (default: all, as the runtime sets it).</summary>
    public Microsoft.ML.OnnxRuntime.GraphOptimizationLevel? OptimizationLevel { get; private set; }

    /// <summary>Compare one ResNet-18 train step with and without lowered convolutions, then stop.</summary>
    public bool Check { get; private set; }

    /// <summary>Extra ONNX Runtime session configuration entries.</summary>
    public List<(string Key, string Value)> SessionConfig { get; } = [];

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> naming a bad option.</summary>
    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"option {args[i]} needs a value");
            int NextInt() => int.TryParse(Next(), out var v) && v > 0 ? v : throw new ArgumentException($"option {args[i - 1]} needs a positive integer, got '{args[i]}'");
            switch (args[i])
            {
                case "--res":
                    while (i + 1 < args.Length && int.TryParse(args[i + 1], out var r)) { o.Resolutions.Add(r); i++; }
                    break;
                case "--batch": o.Batch = NextInt(); break;
                case "--runs": o.Runs = NextInt(); break;
                case "--chunk-mb": o.Graph = o.Graph.With("chunk-mb", Next()); break;
                case "--keep-mb": o.Graph = o.Graph.With("keep-mb", Next()); break;
                case "--winograd": o.Graph = o.Graph.With("winograd", Next()); break;
                case "--compare":
                    o.Compare = Next().Split(',').Aggregate(o.Graph, (settings, pair) =>
                    {
                        var kv = pair.Split('=', 2);
                        return kv.Length == 2 ? settings.With(kv[0], kv[1]) : throw new ArgumentException($"--compare takes KEY=VALUE[,KEY=VALUE], got '{pair}'");
                    });
                    break;
                case "--threads": o.Threads = NextInt(); break;
                case "--profile": o.Profile = Next(); break;
                case "--save-optimized": o.SaveOptimized = Next(); break;
                case "--train-only": o.TrainOnly = true; break;
                case "--cpu-time": o.CpuTime = true; break;
                case "--no-arena": o.Arena = false; break;
                case "--parallel": o.Parallel = true; break;
                case "--no-mem-pattern": o.NoMemoryPattern = true; break;
                case "--check": o.Check = true; break;
                case "--opt-level":
                    o.OptimizationLevel = Next() switch
                    {
                        "basic" => Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_BASIC,
                        "extended" => Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                        "all" => Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL,
                        var v => throw new ArgumentException($"--opt-level takes basic, extended or all, got '{v}'"),
                    };
                    break;
                case "--conv": o.Graph = o.Graph.With("conv", Next()); break;
                case "--ort":
                    var kv = Next().Split('=', 2);
                    if (kv.Length != 2) throw new ArgumentException($"--ort takes KEY=VALUE, got '{args[i]}'");
                    o.SessionConfig.Add((kv[0], kv[1]));
                    break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Resolutions.Count == 0) o.Resolutions.AddRange([112, 224]);
        return o;
    }
}

/// <summary>The <see cref="GraphBuilder"/> settings a benchmark varies.</summary>
internal sealed record GraphSettings(ConvLowering Lowering, long? ChunkBytes = null, long? KeepColumnsBytes = null, int? WinogradTile = null)
{
    public void Apply(GraphBuilder g)
    {
        g.ConvLowering = Lowering;
        if (ChunkBytes is { } chunk) g.ConvLoweringChunkBytes = chunk;
        if (KeepColumnsBytes is { } keep) g.ConvLoweringKeepColumnsBytes = keep;
        if (WinogradTile is { } tile) g.ConvLoweringWinogradTile = tile;
    }

    /// <summary>These settings with <paramref name="key"/> (conv, chunk-mb, keep-mb, winograd) set to <paramref name="value"/>.</summary>
    public GraphSettings With(string key, string value) => key switch
    {
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
        _ => throw new ArgumentException($"unknown graph setting '{key}' (conv, chunk-mb, keep-mb, winograd)"),
    };

    public override string ToString() => $"convolutions {Lowering}" + (ChunkBytes is { } c ? $", chunks {c >> 20} MiB" : "") + (KeepColumnsBytes is { } k ? $", kept columns {k >> 20} MiB" : "")
        + (WinogradTile is { } w ? $", Winograd {(w == 0 ? "off" : $"F({w}x{w},3x3)")}" : "");

    private static long MiB(string key, string value)
        => long.TryParse(value, out var v) && v >= 0 ? v << 20 : throw new ArgumentException($"{key} takes a number of MiB, got '{value}'");
}
