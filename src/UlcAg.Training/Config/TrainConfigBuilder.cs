namespace UlcAg.Training.Config;

/// <summary>
/// Layers a training configuration and validates it: built-in defaults, then YAML files in the order
/// added (later wins), then command-line settings in order. Sections merge key by key; any other value,
/// lists included, is replaced whole. Relative paths are taken against the base directory (the current
/// directory by default) and the resolved options hold absolute paths.
/// </summary>
/// <example>
/// <code>
/// var config = new TrainConfigBuilder()
///     .AddFile("models/rafdb.yaml")
///     .AddFile("models/scn.yaml")
///     .Set(ConfigSetting.Parse("train.lr_milestones=[5,8]"))
///     .Build();
/// </code>
/// </example>
public sealed class TrainConfigBuilder
{
    private readonly List<ConfigMapping> _layers = [];
    private readonly List<string> _sources = [];
    private string? _resume;

    /// <summary>Creates a builder that resolves relative paths against <paramref name="baseDirectory"/> (default: the current directory).</summary>
    public TrainConfigBuilder(string? baseDirectory = null)
    {
        BaseDirectory = Path.GetFullPath(baseDirectory ?? Environment.CurrentDirectory);
    }

    /// <summary>The folder relative paths are resolved against.</summary>
    public string BaseDirectory { get; }

    /// <summary>Adds a YAML file as the next layer.</summary>
    /// <param name="path">The file, absolute or relative to <see cref="BaseDirectory"/>.</param>
    /// <param name="displayName">How messages name the file (default: <paramref name="path"/> as given).</param>
    /// <exception cref="ConfigException">The file is missing or is not valid YAML of one mapping.</exception>
    public TrainConfigBuilder AddFile(string path, string? displayName = null)
    {
        var full = Path.GetFullPath(path, BaseDirectory);
        var name = displayName ?? path;
        if (!File.Exists(full))
        {
            throw new ConfigException(new ConfigMessage("", $"configuration file '{path}' does not exist; expected a YAML file", new ConfigLocation(name)));
        }

        using var reader = new StreamReader(full);
        return AddLayer(YamlConfigReader.ReadDocument(reader, name), name);
    }

    /// <summary>Adds YAML text as the next layer; <paramref name="sourceName"/> names it in messages.</summary>
    /// <exception cref="ConfigException">The text is not valid YAML of one mapping.</exception>
    public TrainConfigBuilder AddYaml(string yaml, string sourceName) =>
        AddLayer(YamlConfigReader.ReadDocument(new StringReader(yaml), sourceName), sourceName);

    /// <summary>Adds one command-line setting as the next layer.</summary>
    /// <exception cref="ConfigException">The key path or the YAML value is malformed.</exception>
    public TrainConfigBuilder Set(ConfigSetting setting) => AddLayer(setting.ToMapping(), setting.Origin);

    /// <summary>
    /// Continues the run in <paramref name="runDirectory"/>: its stored <see cref="RunFolder.ConfigFile"/>
    /// becomes the next layer (normally the only file), and the options name the directory in
    /// <see cref="TrainOptions.ResumeFrom"/>.
    /// </summary>
    /// <exception cref="ConfigException">The directory or its configuration file is missing or invalid.</exception>
    public TrainConfigBuilder Resume(string runDirectory)
    {
        var full = Path.GetFullPath(runDirectory, BaseDirectory);
        var origin = new ConfigLocation("--resume " + runDirectory);
        if (!Directory.Exists(full))
        {
            throw new ConfigException(new ConfigMessage("", $"run directory '{runDirectory}' does not exist; expected the folder of an earlier run", origin));
        }

        if (!File.Exists(Path.Combine(full, RunFolder.ConfigFile)))
        {
            throw new ConfigException(new ConfigMessage("", $"'{runDirectory}' holds no {RunFolder.ConfigFile}; expected the folder of an earlier run", origin));
        }

        _resume = full;
        return AddFile(Path.Combine(full, RunFolder.ConfigFile));
    }

    /// <summary>Merges the layers, binds them to <see cref="TrainOptions"/> and validates the result.</summary>
    /// <exception cref="ConfigException">Every unknown key, wrong type, bad value and missing file found.</exception>
    public LoadedConfig Build()
    {
        var merged = new ConfigMapping(new ConfigLocation("built-in defaults"));
        foreach (var layer in _layers)
        {
            merged = WithoutNoiseOfAnotherFormat(merged, layer).MergedWith(layer);
        }

        var binder = new OptionsBinder();
        var options = binder.Bind(merged);
        if (binder.Errors.Count > 0)
        {
            throw new ConfigException(binder.Errors);
        }

        options = (options with { ResumeFrom = _resume }).WithFullPaths(BaseDirectory);
        var check = new ConfigChecker(binder.Locations);
        options.Check(check);
        if (check.Errors.Count > 0)
        {
            throw new ConfigException(check.Errors);
        }

        if (_resume is not null)
        {
            CheckResume(options, _resume);
        }

        return new LoadedConfig(options, check.Warnings, _sources.ToList());
    }

    /// <summary>
    /// Refuses a resume whose configuration differs from the one the run's checkpoints were trained
    /// with outside <see cref="ResumeCheck.SafeKeys"/>. The reference is the copy kept with the
    /// checkpoints, so an edit of <c>config.yaml</c> is caught too; runs from before that copy existed
    /// are compared with their <c>config.yaml</c>.
    /// </summary>
    private void CheckResume(TrainOptions options, string runDirectory)
    {
        var reference = ResumeCheck.ReferenceFile(runDirectory);
        if (!File.Exists(reference))
        {
            reference = Path.Combine(runDirectory, RunFolder.ConfigFile);
        }

        var trained = new TrainConfigBuilder(BaseDirectory).AddFile(reference).Build().Options;
        var differences = ResumeCheck.Differences(trained, options, reference, new ConfigLocation("--resume " + runDirectory));
        if (differences.Count > 0)
        {
            throw new ConfigException(differences);
        }
    }

    /// <summary>
    /// Label noise belongs to the dataset it was set with: when <paramref name="layer"/> changes
    /// <c>data.format</c>, the <c>data.noise</c> of the layers below is dropped. The demo preset's 20%
    /// noise on synthetic faces must not flip a fifth of the labels of a user's own folder or CSV
    /// (<c>--format folder</c> on top of the default preset); noise for the new format is set in the
    /// same layer or a later one (<c>--set data.noise.rate=0.2</c> after <c>--format</c>).
    /// </summary>
    private static ConfigMapping WithoutNoiseOfAnotherFormat(ConfigMapping merged, ConfigMapping layer)
    {
        if (Format(layer) is not { } format || string.Equals(format, Format(merged) ?? "synthetic", StringComparison.OrdinalIgnoreCase)
            || merged.Find("data") is not { Value: ConfigMapping data })
        {
            return merged;
        }

        var dropped = new ConfigMapping(merged.Location);
        foreach (var entry in merged.Entries)
        {
            dropped.Add(entry.Key == "data" ? entry with { Value = data.Without("noise") } : entry);
        }

        return dropped;
    }

    /// <summary>The <c>data.format</c> a layer sets, or null.</summary>
    private static string? Format(ConfigMapping mapping) =>
        mapping.Find("data") is { Value: ConfigMapping data } && data.Find("format") is { Value: ConfigScalar { Text: { } format } } ? format.Trim() : null;

    private TrainConfigBuilder AddLayer(ConfigMapping layer, string source)
    {
        _layers.Add(layer);
        _sources.Add(source);
        return this;
    }
}
