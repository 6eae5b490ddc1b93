namespace UlcAg.Training.Config;

/// <summary>
/// The presets in one or more folders (<c>NAME.yaml</c>), and the resolution of a <c>--config</c>
/// argument: an existing file wins; otherwise a bare name (no folder, no extension) names a preset.
/// </summary>
public sealed class PresetCatalog
{
    private readonly IReadOnlyList<string> _directories;

    /// <summary>Creates a catalog of the YAML files in <paramref name="directories"/> (missing folders are ignored; earlier folders win).</summary>
    public PresetCatalog(IEnumerable<string> directories)
    {
        _directories = directories.Select(d => Path.GetFullPath(d)).ToList();
    }

    /// <summary>The presets, sorted by name.</summary>
    public IReadOnlyList<Preset> List()
    {
        var found = new Dictionary<string, Preset>(StringComparer.OrdinalIgnoreCase);
        foreach (var directory in _directories.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*.yaml"))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                found.TryAdd(name, new Preset(name, file, Describe(file)));
            }
        }

        return found.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The file that <paramref name="nameOrPath"/> names, and how messages should name it.</summary>
    /// <param name="nameOrPath">A path (relative to <paramref name="baseDirectory"/>) or a preset name.</param>
    /// <param name="baseDirectory">The folder relative paths are taken against.</param>
    /// <returns>The file's full path; the display name is the path as given, or <c>preset NAME</c>.</returns>
    /// <exception cref="ConfigException">Neither a file nor a preset of that name exists.</exception>
    public (string Path, string DisplayName) Resolve(string nameOrPath, string baseDirectory)
    {
        var asFile = Path.GetFullPath(nameOrPath, baseDirectory);
        if (File.Exists(asFile))
        {
            return (asFile, nameOrPath);
        }

        var bareName = nameOrPath.IndexOfAny(['/', '\\']) < 0 && Path.GetExtension(nameOrPath).Length == 0;
        var presets = List();
        if (bareName && presets.FirstOrDefault(p => string.Equals(p.Name, nameOrPath, StringComparison.OrdinalIgnoreCase)) is { } preset)
        {
            return (preset.Path, $"preset {preset.Name}");
        }

        var names = presets.Count == 0 ? "(none installed)" : string.Join(", ", presets.Select(p => p.Name));
        var hint = bareName && Suggestion.Closest(nameOrPath, presets.Select(p => p.Name)) is { } close ? $"did you mean '{close}'? " : "";
        throw new ConfigException(new ConfigMessage("",
            $"configuration file '{nameOrPath}' does not exist; {hint}expected a YAML file or a preset name: {names}",
            new ConfigLocation("--config " + nameOrPath)));
    }

    // The first comment line, without '#'.
    private static string Describe(string file)
    {
        foreach (var line in File.ReadLines(file))
        {
            var text = line.Trim();
            if (text.StartsWith('#'))
            {
                return text.TrimStart('#').Trim();
            }

            if (text.Length > 0)
            {
                break;
            }
        }

        return "";
    }
}
