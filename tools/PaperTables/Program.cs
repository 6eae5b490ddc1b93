// The paper's experiments as one command: Table I (components), II (edges), III (synthetic noise at
// 10/20/30%) and IV (real noise), several seeds per cell, on any ulcag-train configuration.
//
//   dotnet run -c Release --project tools/PaperTables -- --tables 1 2 3 --config tables-synthetic --seeds 0 1 2
//   dotnet run -c Release --project tools/PaperTables -- --tables 3 --config rafdb --set data.root=/data/RAF-DB --out artifacts/experiments/rafdb
//
// Rerunning the same command continues: finished runs are reused, interrupted ones resume from their
// last checkpoint. Results: OUT/results.md (mean ± sd per cell), OUT/runs.csv, OUT/tableN.png.
using System.Globalization;
using UlcAg.Training.Config;
using UlcAg.Training.Experiments;
using UlcAg.Training.Progress;
using UlcAg.Training.Trainer;

const string Usage = """
    usage: PaperTables [--tables N...] [--config FILE|PRESET]... [--set KEY=VALUE]... [--seeds N...]
                       [--noise-levels R...] [--out DIR] [--parallel N]

      --tables N...        which tables: 1 components, 2 edges, 3 synthetic noise, 4 real noise (default 1 2 3)
      --config, --set      the configuration of every run, as ulcag-train takes them (default: the demo preset)
      --seeds N...         one run per cell and seed (default 0 1 2)
      --noise-levels R...  Table III's injected noise rates (default 0.1 0.2 0.3)
      --out DIR            the experiment folder (default artifacts/experiments/paper-tables); rerun to resume
      --parallel N         runs trained at once, sharing the cores (default 1)
    """;

var request = new ExperimentRequest();
var configs = new List<string>();
var settings = new List<string>();
try
{
    for (var i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--tables": request = request with { Tables = Numbers(ref i, int.Parse) }; break;
            case "--seeds": request = request with { Seeds = Numbers(ref i, int.Parse) }; break;
            case "--noise-levels": request = request with { NoiseLevels = Numbers(ref i, s => double.Parse(s, CultureInfo.InvariantCulture)) }; break;
            case "--config" or "-c": configs.Add(Value(ref i)); break;
            case "--set" or "-s": settings.Add(Value(ref i)); break;
            case "--out": request = request with { Output = Value(ref i) }; break;
            case "--parallel": request = request with { Parallel = int.Parse(Value(ref i), CultureInfo.InvariantCulture) }; break;
            case "--help" or "-h": Console.Write(Usage); return 0;
            default: throw new UsageException($"unknown option '{args[i]}'");
        }
    }

    request = request with { Configs = configs, Settings = settings };
    if (request.Tables.Any(t => !PaperTables.Numbers.Contains(t)))
        throw new UsageException("--tables takes the numbers 1 to 4");
    if (request.Seeds.Count == 0 || request.Tables.Count == 0)
        throw new UsageException("--tables and --seeds need at least one value");
    if (request.NoiseLevels.Any(r => r is <= 0 or >= 1))
        throw new UsageException("--noise-levels are rates between 0 and 1, e.g. 0.1 0.2 0.3");
    if (request.Parallel < 1)
        throw new UsageException("--parallel must be at least 1");
}
catch (Exception e) when (e is UsageException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"error: {(e is UsageException ? e.Message : "a number was expected: " + e.Message)}");
    Console.Error.Write(Usage);
    return TrainExitCodes.Usage;
}

using var stop = new StopSignals(Console.Error, "stopping: the running trainings save a checkpoint (Ctrl-C again to quit at once)");

var presets = new PresetCatalog([Path.Combine(AppContext.BaseDirectory, "presets")]);
var runner = new ExperimentRunner(presets, new UlcAgTrainer(ProgressMode.Plain), Console.Out);
try
{
    var plan = runner.Plan(request);
    return runner.Run(plan, stop.Token);
}
catch (ConfigException e)
{
    Console.Error.WriteLine("error: invalid configuration:");
    foreach (var message in e.Errors)
        Console.Error.WriteLine($"  {message}");
    return TrainExitCodes.Usage;
}
catch (Exception e) when (e is UsageException or ExperimentException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return TrainExitCodes.Failed;
}

string Value(ref int i) => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");

IReadOnlyList<T> Numbers<T>(ref int i, Func<string, T> parse)
{
    var values = new List<T>();
    while (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
        values.Add(parse(args[++i]));
    return values.Count > 0 ? values : throw new UsageException($"{args[i]} needs at least one value");
}
