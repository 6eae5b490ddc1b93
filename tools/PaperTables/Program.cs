// The paper's experiments as one command: Table I (components), II (edges), III (synthetic noise at
// 10/20/30%) and IV (real noise), several seeds per cell, on any ulcag-train configuration.
//
//   dotnet run -c Release --project tools/PaperTables -- --tables 1 2 3 --config tables-synthetic --seeds 0 1 2
//   dotnet run -c Release --project tools/PaperTables -- --tables 3 --config rafdb --set data.root=/data/RAF-DB --out artifacts/experiments/rafdb
//
// Rerunning the same command continues: finished runs are reused, interrupted ones resume from their
// last checkpoint. Results: OUT/results.md (mean ± sd per cell), OUT/runs.csv, OUT/tableN.png.
using System.CommandLine;
using UlcAg.Cli;
using UlcAg.Training.Config;
using UlcAg.Training.Experiments;
using UlcAg.Training.Progress;
using UlcAg.Training.Trainer;

const string About = """
    The paper's experiments as one command: Table I (components), II (edges), III (synthetic noise)
    and IV (real noise), several seeds per cell, on any ulcag-train configuration. Rerunning the same
    command continues: finished runs are reused, interrupted ones resume from their last checkpoint.
    """;
const string Epilogue = """
    Results: OUT/results.md (mean ± sd per cell), OUT/runs.csv, OUT/tableN.png; each run logs to OUT/runs/NAME.log.

    Examples:
      dotnet run -c Release --project tools/PaperTables -- --tables 1 2 3 --config tables-synthetic --seeds 0 1 2
      dotnet run -c Release --project tools/PaperTables -- --tables 3 --config rafdb --set data.root=/data/RAF-DB --out artifacts/experiments/rafdb

    """;

var defaults = new ExperimentRequest();
var tables = CliOptions.List("--tables", "N...", "Which tables: 1 components, 2 edges, 3 synthetic noise, 4 real noise (default 1 2 3).",
    Table, severalPerOccurrence: true);
var configs = CliOptions.List("--config", "FILE|PRESET", "The configuration of every run, as ulcag-train takes it; repeatable (default: the demo preset).",
    text => text, severalPerOccurrence: false, "-c");
var settings = CliOptions.List("--set", "KEY=VALUE", "An override for every run, as ulcag-train takes it; repeatable.",
    text => text.Contains('=', StringComparison.Ordinal) ? text : throw new UsageException($"--set '{text}' has no '='; expected --set key.path=value"),
    severalPerOccurrence: false, "-s");
var seeds = CliOptions.List("--seeds", "N...", "One run per cell and seed (default 0 1 2).", CliOptions.Int("--seeds"), severalPerOccurrence: true);
var noiseLevels = CliOptions.List("--noise-levels", "R...", "Table III's injected noise rates (default 0.1 0.2 0.3).",
    NoiseRate, severalPerOccurrence: true);
var output = CliOptions.Text("--out", "DIR", $"The experiment folder (default {defaults.Output}); rerun to resume.", defaults.Output);
var parallel = CliOptions.Value("--parallel", "N", "Runs trained at once, sharing the cores (default 1).", CliOptions.Int("--parallel", minimum: 1), defaults.Parallel);
var rows = CliOptions.List("--rows", "NAME...", "Only the rows of these methods, e.g. ulcag-paper (default: every row of the tables).",
    text => text, severalPerOccurrence: true);
var root = new RootCommand(About) { tables, configs, settings, seeds, noiseLevels, rows, output, parallel };
root.SetAction(result => Run(new ExperimentRequest
{
    Tables = result.GetValue(tables) is { Count: > 0 } t ? t : defaults.Tables,
    Configs = result.GetValue(configs) ?? [],
    Settings = result.GetValue(settings) ?? [],
    Seeds = result.GetValue(seeds) is { Count: > 0 } s ? s : defaults.Seeds,
    NoiseLevels = result.GetValue(noiseLevels) is { Count: > 0 } r ? r : defaults.NoiseLevels,
    Rows = result.GetValue(rows) ?? [],
    Output = result.GetValue(output)!,
    Parallel = result.GetValue(parallel),
}));
return new CliProgram("PaperTables", "dotnet run -c Release --project tools/PaperTables -- [options]") { Epilogue = () => Epilogue }.Run(root, args);

static int Table(string text) => CliOptions.Int("--tables")(text) is var n && PaperTables.Numbers.Contains(n)
    ? n
    : throw new UsageException("--tables takes the numbers 1 to 4");

static double NoiseRate(string text) => CliOptions.Number("--noise-levels")(text) is var rate && rate is > 0 and < 1
    ? rate
    : throw new UsageException("--noise-levels are rates between 0 and 1, e.g. 0.1 0.2 0.3");

static int Run(ExperimentRequest request)
{
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
    catch (Exception e) when (e is ExperimentException or IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return TrainExitCodes.Failed;
    }
}
