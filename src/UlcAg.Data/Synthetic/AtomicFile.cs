using System.Text;

namespace UlcAg.Data.Synthetic;

/// <summary>Writes files atomically: to a temporary file in the same directory, then renamed over the target.</summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    public static void WriteBytes(string path, byte[] bytes) => Write(path, temp => File.WriteAllBytes(temp, bytes));

    /// <summary>Writes lines (LF endings, UTF-8 without BOM) to <paramref name="path"/>.</summary>
    public static void WriteLines(string path, IEnumerable<string> lines) => Write(path, temp =>
    {
        using var writer = new StreamWriter(temp, false, new UTF8Encoding(false)) { NewLine = "\n" };
        foreach (var line in lines)
            writer.WriteLine(line);
    });

    private static void Write(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.CurrentManagedThreadId}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new SyntheticDataException($"Could not write '{full}': {e.Message}", e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original error is the one worth reporting.
        }
    }
}
