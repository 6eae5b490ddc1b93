using System.Globalization;

namespace UlcAg.Training.Config;

/// <summary>
/// Collects validation errors and warnings for one section, naming each key by its full path and
/// the location where its value was set (or, for a value left at its default, a related key's).
/// </summary>
internal sealed class ConfigChecker
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

    public void Fail(string key, string text, string? relatedKey = null) => _errors.Add(Message(key, text, relatedKey));

    public void Warn(string key, string text) => _warnings.Add(Message(key, text, null));

    /// <summary>Adds an error unless <paramref name="ok"/>; returns <paramref name="ok"/>.</summary>
    public bool Require(bool ok, string key, string text, string? relatedKey = null)
    {
        if (!ok)
        {
            Fail(key, text, relatedKey);
        }

        return ok;
    }

    public void AtLeast(string key, int value, int min) =>
        Require(value >= min, key, Invariant($"is {value}; expected a whole number of at least {min}"));

    public bool Between(string key, int value, int min, int max) =>
        Require(value >= min && value <= max, key, Invariant($"is {value}; expected a whole number from {min} to {max}"));

    public bool Between(string key, double value, double min, double max, bool minOpen = false, bool maxOpen = false)
    {
        var ok = (minOpen ? value > min : value >= min) && (maxOpen ? value < max : value <= max);
        var low = minOpen ? $"greater than {min}" : $"at least {min}";
        var high = maxOpen ? $"less than {max}" : $"at most {max}";
        return Require(ok, key, Invariant($"is {value}; expected a number {low} and {high}"));
    }

    public void NotBlank(string key, string value) => Require(value.Trim().Length > 0, key, "is empty; expected a name");

    public void DistinctNames(string key, IReadOnlyList<string> names)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            NotBlank(ConfigPath.Item(key, i), names[i]);
            Require(seen.Add(names[i]), ConfigPath.Item(key, i), $"'{names[i]}' is listed twice; expected each name once");
        }
    }

    public void FileExists(string key, string path, string what) =>
        Require(File.Exists(path), key, Directory.Exists(path)
            ? $"'{path}' is a folder; expected a file: {what}"
            : $"file '{path}' does not exist; expected {what}");

    public void DirectoryExists(string key, string path, string what) =>
        Require(Directory.Exists(path), key, File.Exists(path)
            ? $"'{path}' is a file; expected a folder: {what}"
            : $"folder '{path}' does not exist; expected {what}");

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

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
