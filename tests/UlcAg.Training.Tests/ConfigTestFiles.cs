using UlcAg.Training.Config;

namespace UlcAg.Training.Tests;

/// <summary>Temporary folders and files for configuration tests, and the repository's presets.</summary>
internal sealed class ConfigTestFiles : IDisposable
{
    public ConfigTestFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "ulcag-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The repository's root folder, the one holding UlcAg.sln (found above the test binaries).</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "UlcAg.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("UlcAg.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The repository's models/ folder.</summary>
    public static string ModelsDirectory => Path.Combine(RepoRoot, "models");

    public static PresetCatalog Presets => new([ModelsDirectory]);

    public static string Preset(string name) => Path.Combine(ModelsDirectory, name + ".yaml");

    /// <summary>Writes <paramref name="text"/> to a file under <see cref="Root"/> and returns its full path.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string Folder(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    public TrainConfigBuilder Builder() => new(Root);

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
