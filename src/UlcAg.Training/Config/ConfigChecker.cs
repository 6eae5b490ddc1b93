using UlcAg.Data;

namespace UlcAg.Training.Config;

/// <summary>
/// Collects validation errors and warnings for one section, naming each key by its full path and
/// the location where its value was set (or, for a value left at its default, a related key's).
/// </summary>
internal sealed class ConfigChecker : OptionCheck
{
    private readonly string _prefix;
    private readonly IReadOnlyDictionary<string, ConfigLocation> _locations;
    private readonly List<ConfigMessage> _errors;
    private readonly List<ConfigMessage> _warnings;

    public ConfigChecker(IReadOnlyDictionary<string, ConfigLocation> locations)
        : this("", locations, [], [])
    {
    }

    private ConfigChecker(string prefix, IReadOnlyDictionary<string, ConfigLocation> locations, List<ConfigMessage> errors, List<ConfigMessage> warnings)
    {
        _prefix = prefix;
        _locations = locations;
        _errors = errors;
        _warnings = warnings;
    }

    public IReadOnlyList<ConfigMessage> Errors => _errors;

    public IReadOnlyList<ConfigMessage> Warnings => _warnings;

    /// <summary><paramref name="path"/> made absolute against <paramref name="baseDirectory"/>.</summary>
    public static string FullPath(string baseDirectory, string path) => Path.GetFullPath(path, baseDirectory);

    /// <summary>A checker for a subsection; keys are then relative to it.</summary>
    public ConfigChecker At(string section) => new(ConfigPath.Child(_prefix, section), _locations, _errors, _warnings);

    public override void Fail(string key, string text, string? relatedKey = null) => _errors.Add(Message(key, text, relatedKey));

    public void Warn(string key, string text) => _warnings.Add(Message(key, text, null));

    private ConfigMessage Message(string key, string text, string? relatedKey)
    {
        var path = ConfigPath.Child(_prefix, key);
        // A related key is looked up in this section first, then as a full path.
        var location = _locations.GetValueOrDefault(path)
            ?? (relatedKey is null ? null : _locations.GetValueOrDefault(ConfigPath.Child(_prefix, relatedKey)) ?? _locations.GetValueOrDefault(relatedKey))
            ?? Enclosing(path);
        return new ConfigMessage(path, text, location);
    }

    // The nearest enclosing key that was set (a default inside a section written in a file).
    private ConfigLocation? Enclosing(string path)
    {
        for (var p = ConfigPath.Parent(path); p is { Length: > 0 }; p = ConfigPath.Parent(p))
        {
            if (_locations.TryGetValue(p, out var location))
            {
                return location;
            }
        }

        return null;
    }
}
