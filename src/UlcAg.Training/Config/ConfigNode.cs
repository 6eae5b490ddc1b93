namespace UlcAg.Training.Config;

/// <summary>
/// A configuration value as read from one YAML file or command-line setting, before binding: a scalar
/// (kept as text), a sequence, or a mapping. Every node knows where it was written, so binding and
/// validation errors can name the file and line after layers have been merged.
/// </summary>
internal abstract class ConfigNode(ConfigLocation location)
{
    public ConfigLocation Location { get; } = location;

    /// <summary>A short name of the node's kind for messages ("a list", "a section", "'x'").</summary>
    public abstract string Describe();
}

/// <summary>A scalar: <see cref="Text"/> is null for YAML null (<c>null</c>, <c>~</c> or nothing, unquoted).</summary>
internal sealed class ConfigScalar(string? text, ConfigLocation location) : ConfigNode(location)
{
    public string? Text { get; } = text;

    public override string Describe() => Text is null ? "null" : $"'{Text}'";
}

/// <summary>A sequence (block or flow).</summary>
internal sealed class ConfigSequence(IReadOnlyList<ConfigNode> items, ConfigLocation location) : ConfigNode(location)
{
    public IReadOnlyList<ConfigNode> Items { get; } = items;

    public override string Describe() => "a list";
}

/// <summary>A mapping of keys to values, in file order.</summary>
internal sealed class ConfigMapping(ConfigLocation location) : ConfigNode(location)
{
    private readonly List<ConfigEntry> _entries = [];

    public IReadOnlyList<ConfigEntry> Entries => _entries;

    public override string Describe() => "a section of keys";

    public ConfigEntry? Find(string key) => _entries.Find(e => e.Key == key);

    public void Add(ConfigEntry entry) => _entries.Add(entry);

    /// <summary>This mapping without <paramref name="key"/> (the same mapping when it has no such key).</summary>
    public ConfigMapping Without(string key)
    {
        var copy = new ConfigMapping(Location);
        foreach (var entry in _entries.Where(e => e.Key != key))
        {
            copy.Add(entry);
        }

        return copy;
    }

    /// <summary>
    /// This mapping with <paramref name="overlay"/> laid over it: sections merge key by key, any other
    /// value (scalar, list, null) replaces the one below. Lists are replaced whole, never appended to.
    /// </summary>
    public ConfigMapping MergedWith(ConfigMapping overlay)
    {
        var merged = new ConfigMapping(Location);
        foreach (var entry in _entries)
        {
            var top = overlay.Find(entry.Key);
            merged.Add(top switch
            {
                null => entry,
                { Value: ConfigMapping upper } when entry.Value is ConfigMapping lower => top with { Value = lower.MergedWith(upper) },
                _ => top,
            });
        }

        foreach (var entry in overlay.Entries.Where(e => Find(e.Key) is null))
        {
            merged.Add(entry);
        }

        return merged;
    }
}

/// <summary>One key of a mapping, with where the key itself was written.</summary>
internal sealed record ConfigEntry(string Key, ConfigLocation KeyLocation, ConfigNode Value);
