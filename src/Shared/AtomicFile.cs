using System.Text;

namespace UlcAg.IO;

/// <summary>
/// Writes a file completely or not at all, so that readers (and a later run after a crash or a full
/// disk) never see a half-written one: the content goes to a temporary file in the same folder, which
/// then replaces the target in one rename; on failure the temporary file is removed and the target is
/// left as it was. One source file, compiled into each project that writes files (linked in its csproj).
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes what <paramref name="write"/> puts into the stream.</summary>
    /// <param name="path">The target file; its folder is created if needed.</param>
    /// <param name="write">Writes the content.</param>
    /// <param name="durable">Flush to the disk before the rename (checkpoints, weights), not only to the OS cache.</param>
    public static void Write(string path, Action<Stream> write, bool durable = false)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: durable);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, byte[] bytes, bool durable = false) => Write(path, s => s.Write(bytes), durable);

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text, bool durable = false) => WriteAllBytes(path, Utf8.GetBytes(text), durable);

    /// <summary>Writes <paramref name="lines"/> with LF endings, UTF-8 without a byte-order mark.</summary>
    public static void WriteLines(string path, IEnumerable<string> lines) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, Utf8, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
        foreach (var line in lines)
            writer.WriteLine(line);
    });

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
