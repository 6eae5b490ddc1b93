using UlcAg.IO;

namespace UlcAg.Data.Synthetic;

/// <summary>Atomic writes of the synthetic dataset's files; a failure becomes a <see cref="SyntheticDataException"/> naming the file.</summary>
internal static class SyntheticFiles
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    public static void WriteBytes(string path, byte[] bytes) => Checked(path, () => AtomicFile.WriteAllBytes(path, bytes));

    /// <summary>Writes lines (LF endings, UTF-8 without BOM) to <paramref name="path"/>.</summary>
    public static void WriteLines(string path, IEnumerable<string> lines) => Checked(path, () => AtomicFile.WriteLines(path, lines));

    private static void Checked(string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SyntheticDataException($"Could not write '{Path.GetFullPath(path)}': {e.Message}", e);
        }
    }
}
