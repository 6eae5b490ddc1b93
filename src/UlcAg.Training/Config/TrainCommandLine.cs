namespace UlcAg.Training.Config;

/// <summary>
/// Parses the arguments of <c>dotnet ulcag-train</c>. Options take their value as the next argument or
/// after '=' (<c>--epochs 5</c>, <c>--epochs=5</c>). The option table also drives <see cref="TrainHelp"/>.
/// </summary>
public static class TrainCommandLine
{
    /// <summary>The preset used when neither <c>--config</c> nor <c>--resume</c> is given.</summary>
    public const string DefaultPreset = "demo";

    /// <summary>Every option, in the order help lists them.</summary>
    internal static IReadOnlyList<CommandOption> Options { get; } =
    [
        new("--config", "-c", "FILE|PRESET", "A YAML file or a preset name; repeatable, later files win. Without it (and without --resume) the demo preset is used."),
        new("--set", "-s", "KEY=VALUE", "Override one key, e.g. --set train.lr_milestones=[5,8]; the value is YAML (a scalar or a [list]). Repeatable."),
        new("--method", null, "NAME", "ulcag, baseline, scn, target-only, aux-only or random-edges.", "method"),
        new("--epochs", null, "N", "Number of epochs.", "train.epochs"),
        new("--device", null, "DEVICE", "cpu, cuda or cuda:N.", "device"),
        new("--seed", null, "N", "Random seed.", "seed"),
        new("--data-root", null, "DIR", "The dataset's root folder.", "data.root"),
        new("--format", null, "NAME", "Dataset format: synthetic, rafdb, affectnet, affectnet-auto, fer2013, ferplus, folder or csv.", "data.format"),
        new("--output", null, "DIR", "The folder that holds run directories.", "output"),
        new("--resume", null, "RUN_DIR", "Continue an earlier run with the configuration stored in RUN_DIR; --set and shortcuts still apply, --config does not."),
        new("--print-config", null, null, "Print the resolved configuration as YAML and exit without training."),
        new("--version", null, null, "Print the version and exit."),
        new("--help", "-h", null, "Show this help and exit."),
    ];

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <exception cref="UsageException">An unknown option, a missing value, a stray argument, or --config with --resume.</exception>
    public static TrainArguments Parse(IReadOnlyList<string> args)
    {
        var configs = new List<string>();
        var settings = new List<ConfigSetting>();
        var result = new TrainArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-")
            {
                throw new UsageException($"unexpected argument '{arg}'; configuration files are given with --config FILE");
            }

            var equals = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=', StringComparison.Ordinal) : -1;
            var name = equals < 0 ? arg : arg[..equals];
            var option = Options.FirstOrDefault(o => o.Name == name || o.Short == name) ?? throw Unknown(name);
            string? value = null;
            if (option.Value is null)
            {
                if (equals >= 0)
                {
                    throw new UsageException($"{option.Name} takes no value");
                }
            }
            else if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"{option.Name} needs a value ({option.Value})");
            }

            switch (option.Name)
            {
                case "--config":
                    configs.Add(value!);
                    break;
                case "--set":
                    settings.Add(ParseSet(value!));
                    break;
                case "--resume":
                    result = result with { Resume = value };
                    break;
                case "--print-config":
                    result = result with { PrintConfig = true };
                    break;
                case "--version":
                    result = result with { Version = true };
                    break;
                case "--help":
                    result = result with { Help = true };
                    break;
                default:
                    settings.Add(new ConfigSetting(option.Key!, value!, IsLiteral: true, $"{option.Name} {value}"));
                    break;
            }
        }

        if (result.Resume is not null && configs.Count > 0)
        {
            throw new UsageException("--resume continues a run with its stored configuration and cannot be combined with --config; use --set to change single keys");
        }

        return result with { Configs = configs, Settings = settings };
    }

    private static ConfigSetting ParseSet(string assignment) => assignment.Contains('=', StringComparison.Ordinal)
        ? ConfigSetting.Parse(assignment)
        : throw new UsageException($"--set '{assignment}' has no '='; expected --set key.path=value, e.g. --set train.lr=0.01");

    private static UsageException Unknown(string name)
    {
        var names = Options.Select(o => o.Name);
        var hint = Suggestion.Closest(name, names) is { } close ? $"; did you mean {close}?" : "";
        return new UsageException($"unknown option '{name}'{hint} (see --help)");
    }
}

/// <summary>One command-line option; <see cref="Key"/> is set for the shortcuts of a configuration key.</summary>
internal sealed record CommandOption(string Name, string? Short, string? Value, string Help, string? Key = null);
