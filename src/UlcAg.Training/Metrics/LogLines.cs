using System.Text;
using UlcAg.IO;

namespace UlcAg.Training.Metrics;

/// <summary>
/// The line discipline shared by the append-only logs: every entry is one line ending in '\n', written in
/// one call and flushed, so after a crash only the last line can be incomplete -- and it then lacks
/// its '\n'.
/// </summary>
internal static class LogLines
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>One line of a log file.</summary>
    public readonly record struct Line(int Number, string Text, bool Unterminated);

    /// <summary>The lines of <paramref name="path"/>, the last one flagged when it has no '\n'.</summary>
    public static List<Line> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Utf8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MetricsFileException(path, null, $"cannot be read ({e.Message}).", e);
        }
        var lines = new List<Line>();
        var start = 0;
        var number = 1;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                lines.Add(new Line(number, text[start..].TrimEnd('\r'), Unterminated: true));
                break;
            }
            lines.Add(new Line(number, text[start..end].TrimEnd('\r'), Unterminated: false));
            start = end + 1;
            number++;
        }
        return lines;
    }

    /// <summary>
    /// Opens <paramref name="path"/> for appending (creating it and its folder), first cutting off an
    /// incomplete last line so the next entry starts on a line of its own.
    /// </summary>
    public static StreamWriter OpenAppend(string path)
    {
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(folder);
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            stream.SetLength(CompleteLength(stream));
            stream.Seek(0, SeekOrigin.End);
            return new StreamWriter(stream, Utf8) { NewLine = "\n", AutoFlush = false };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MetricsFileException(path, null, $"cannot be opened for appending ({e.Message}).", e);
        }
    }

    /// <summary>Writes <paramref name="text"/> (whole lines ending in '\n') in one call and flushes it to the file.</summary>
    public static void Append(StreamWriter writer, string path, string text)
    {
        try
        {
            writer.Write(text);
            writer.Flush();
        }
        catch (IOException e)
        {
            throw new MetricsFileException(path, null, $"cannot be written ({e.Message}).", e);
        }
    }

    /// <summary>Replaces <paramref name="path"/> atomically with <paramref name="lines"/>, each ended by '\n'.</summary>
    public static void Rewrite(string path, IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
            text.Append(line).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>
    /// The entries of parsed lines (null entry: an incomplete last line), with a note when one was left out.
    /// </summary>
    public static LogContents<T> Collect<T>(string path, IEnumerable<(Line Line, T? Entry)> parsed)
        where T : class
    {
        var entries = new List<T>();
        string? warning = null;
        foreach (var (line, entry) in parsed)
        {
            if (entry is null)
                warning = $"{path}, line {line.Number}: incomplete last line (the run stopped while writing it); left out.";
            else
                entries.Add(entry);
        }
        return new LogContents<T>(entries, warning);
    }

    /// <summary>
    /// Rewrites <paramref name="path"/> atomically with <paramref name="header"/> lines and the lines of the
    /// entries up to <paramref name="epoch"/>; an incomplete last line is dropped too.
    /// </summary>
    /// <returns>The number of entries dropped.</returns>
    public static int KeepThrough<T>(string path, IEnumerable<string> header, IEnumerable<(Line Line, T? Entry)> parsed, Func<T, int> epochOf, int epoch)
        where T : class
    {
        var kept = new List<string>(header);
        var dropped = 0;
        foreach (var (line, entry) in parsed)
        {
            if (entry is null)
                continue;
            if (epochOf(entry) <= epoch)
                kept.Add(line.Text);
            else
                dropped++;
        }
        Rewrite(path, kept);
        return dropped;
    }

    /// <summary>
    /// Cuts <paramref name="path"/> back to its first <paramref name="length"/> bytes: what a checkpoint
    /// recorded, so that lines written after it are dropped and written again by the resumed run.
    /// </summary>
    /// <exception cref="MetricsFileException">The file is shorter than that (it is not the log the checkpoint knew), or cannot be written.</exception>
    public static void CutTo(string path, long length)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            if (stream.Length < length)
                throw new MetricsFileException(path, null, $"has {stream.Length} bytes, fewer than the {length} the checkpoint recorded; expected the log the checkpoint was written with.");
            stream.SetLength(length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MetricsFileException(path, null, $"cannot be cut back to the checkpoint ({e.Message}).", e);
        }
    }

    private static long CompleteLength(FileStream stream)
    {
        // Scan back from the end for the last '\n'; everything after it is an interrupted write.
        var length = stream.Length;
        var buffer = new byte[4096];
        var end = length;
        while (end > 0)
        {
            var size = (int)Math.Min(buffer.Length, end);
            stream.Seek(end - size, SeekOrigin.Begin);
            stream.ReadExactly(buffer, 0, size);
            var at = Array.LastIndexOf(buffer, (byte)'\n', size - 1, size);
            if (at >= 0)
                return end - size + at + 1;
            end -= size;
        }
        return 0;
    }
}
