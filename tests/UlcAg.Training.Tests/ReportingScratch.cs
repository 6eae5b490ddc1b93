namespace UlcAg.Training.Tests;

/// <summary>A fresh folder under the temp directory, deleted on dispose.</summary>
internal sealed class ReportingScratch : IDisposable
{
    public ReportingScratch() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ulcag-report-" + Guid.NewGuid().ToString("N")[..8]);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
