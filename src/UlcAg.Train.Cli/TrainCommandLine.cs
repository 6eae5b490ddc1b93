using System.CommandLine;
using UlcAg.Cli;
using UlcAg.Training.Config;

namespace UlcAg.Train.Cli;

/// <summary>
/// The command line of <c>dotnet ulcag-train</c>. Options take their value as the next argument or
/// after '=' (<c>--epochs 5</c>, <c>--epochs=5</c>); <c>--config</c>, <c>--set</c> and the shortcuts
/// may be repeated. <see cref="Request"/> keeps the overrides in command-line order.
/// </summary>
internal sealed class TrainCommandLine
{
    private const string About = $"""
        Trains a facial-expression recognizer with ULC-AG (or a comparison method) and
        exports it as an ONNX model. The configuration is built in layers, later wins:
        built-in defaults <- --config files in order <- --set and shortcut options in order.
        Without --config and --resume the '{TrainRequest.DefaultPreset}' preset is used.
        """;

    private readonly IReadOnlyList<(Option<string?> Option, string Key)> _shortcuts;

    /// <summary>Declares the options; the caller sets the action of <see cref="Root"/>.</summary>
    /// <param name="presets">The presets help lists.</param>
    public TrainCommandLine(PresetCatalog presets)
    {
        Config = CliOptions.List("--config", "FILE|PRESET",
            "A YAML file or a preset name; repeatable, later files win. Without it (and without --resume) the demo preset is used.",
            text => text, severalPerOccurrence: false, "-c");
        Set = CliOptions.List("--set", "KEY=VALUE",
            "Override one key, e.g. --set train.lr_milestones=[5,8]; the value is YAML (a scalar or a [list]). Repeatable.",
            CheckAssignment, severalPerOccurrence: false, "-s");
        _shortcuts =
        [
            Shortcut("--method", "NAME", "ulcag, baseline, scn, target-only, aux-only or random-edges.", "method"),
            Shortcut("--epochs", "N", "Number of epochs.", "train.epochs"),
            Shortcut("--device", "DEVICE", "cpu, cuda or cuda:N.", "device"),
            Shortcut("--seed", "N", "Random seed.", "seed"),
            Shortcut("--data-root", "DIR", "The dataset's root folder.", "data.root"),
            Shortcut("--format", "NAME", "Dataset format: synthetic, rafdb, affectnet, affectnet-auto, fer2013, ferplus, folder or csv.", "data.format"),
            Shortcut("--output", "DIR", "The folder that holds run directories.", "output"),
        ];
        Resume = CliOptions.Text("--resume", "RUN_DIR",
            "Continue an earlier run with the configuration stored in RUN_DIR; --set and shortcuts still apply, --config does not.");
        PrintConfig = CliOptions.Flag("--print-config", "Print the resolved configuration as YAML and exit without training.");

        Root = new RootCommand(About) { Config, Set };
        foreach (var (option, _) in _shortcuts)
        {
            Root.Options.Add(option);
        }

        Root.Options.Add(Resume);
        Root.Options.Add(PrintConfig);
        Root.Validators.Add(result =>
        {
            if (result.GetResult(Resume) is not null && result.GetResult(Config) is not null)
            {
                result.AddError("--resume continues a run with its stored configuration and cannot be combined with --config; use --set to change single keys");
            }
        });
        Program = new CliProgram("ulcag-train", "dotnet ulcag-train [options]")
        {
            Epilogue = () => TrainHelp.Epilogue(presets.List()),
            UnexpectedArgument = argument => $"unexpected argument '{argument}'; configuration files are given with --config FILE",
        };
    }

    /// <summary>The command with every option (its action trains).</summary>
    public RootCommand Root { get; }

    /// <summary>How the command reports problems and prints help and version.</summary>
    public CliProgram Program { get; }

    /// <summary><c>--config</c>, <c>-c</c>.</summary>
    public Option<List<string>> Config { get; }

    /// <summary><c>--set</c>, <c>-s</c>.</summary>
    public Option<List<string>> Set { get; }

    /// <summary><c>--resume</c>.</summary>
    public Option<string?> Resume { get; }

    /// <summary><c>--print-config</c>.</summary>
    public Option<bool> PrintConfig { get; }

    /// <summary>The configuration files and overrides of a parsed command line; <c>--set</c> and shortcuts in the order given.</summary>
    public TrainRequest Request(ParseResult result)
    {
        var settings = CliOptions.InOrder(result, [Set, .. _shortcuts.Select(s => s.Option)])
            .Select(v => v.Option == Set
                ? ConfigSetting.Parse(v.Value)
                : new ConfigSetting(_shortcuts.Single(s => s.Option == v.Option).Key, v.Value, IsLiteral: true, $"{v.Option.Name} {v.Value}"))
            .ToList();
        return new TrainRequest { Configs = result.GetValue(Config) ?? [], Settings = settings, Resume = result.GetValue(Resume) };
    }

    private static (Option<string?>, string) Shortcut(string name, string valueName, string description, string key) =>
        (CliOptions.Text(name, valueName, $"{description} Same as --set {key}=..."), key);

    private static string CheckAssignment(string assignment) => assignment.Contains('=', StringComparison.Ordinal)
        ? assignment
        : throw new UsageException($"--set '{assignment}' has no '='; expected --set key.path=value, e.g. --set train.lr=0.01");
}
