namespace UlcAg.Training.Config;

/// <summary>The parsed command line of <c>dotnet ulcag-train</c>.</summary>
public sealed record TrainArguments
{
    /// <summary>Configuration files or preset names (<c>--config</c>), in order.</summary>
    public IReadOnlyList<string> Configs { get; init; } = [];

    /// <summary>Overrides (<c>--set</c> and the shortcut options), in command-line order.</summary>
    public IReadOnlyList<ConfigSetting> Settings { get; init; } = [];

    /// <summary>The run directory to continue (<c>--resume</c>), or null.</summary>
    public string? Resume { get; init; }

    /// <summary>Print the resolved configuration and exit (<c>--print-config</c>).</summary>
    public bool PrintConfig { get; init; }

    /// <summary>Print usage (<c>--help</c>).</summary>
    public bool Help { get; init; }

    /// <summary>Print the version (<c>--version</c>).</summary>
    public bool Version { get; init; }
}
