namespace UlcAg.Training.Config;

/// <summary>
/// What one training starts from, as <c>ulcag-train</c>'s command line gives it: configuration files
/// or presets, or an earlier run to continue, and overrides of single keys.
/// </summary>
public sealed record TrainRequest
{
    /// <summary>The preset used when neither <see cref="Configs"/> nor <see cref="Resume"/> is given.</summary>
    public const string DefaultPreset = "demo";

    /// <summary>Configuration files or preset names (<c>--config</c>), in order; later ones win.</summary>
    public IReadOnlyList<string> Configs { get; init; } = [];

    /// <summary>Overrides (<c>--set</c> and the shortcut options), in command-line order; they apply after every file.</summary>
    public IReadOnlyList<ConfigSetting> Settings { get; init; } = [];

    /// <summary>The run directory to continue (<c>--resume</c>), or null; it excludes <see cref="Configs"/>.</summary>
    public string? Resume { get; init; }

    /// <summary>The request as <c>ulcag-train</c> arguments, for logs: <c>--config demo --set seed=1</c>.</summary>
    public override string ToString() => string.Join(' ',
        (Resume is null ? Configs.Select(c => $"--config {c}") : [$"--resume {Resume}"]).Concat(Settings.Select(s => s.Origin)));
}
