namespace UlcAg.Training.Metrics;

/// <summary>
/// Appends relabel rows to <c>relabels.csv</c>, each batch of rows in one write, flushed at once. A new
/// file gets the header; an existing one must have it, and is continued after cutting off an incomplete
/// last line left by a crash.
/// </summary>
public sealed class RelabelLogWriter : IDisposable
{
    private readonly StreamWriter _writer;

    /// <summary>Opens (or creates) the audit file at <paramref name="path"/>.</summary>
    /// <exception cref="MetricsFileException">The file cannot be opened, or holds another header.</exception>
    public RelabelLogWriter(string path)
    {
        Path = path;
        _writer = LogLines.OpenAppend(path);
        try
        {
            if (_writer.BaseStream.Length == 0)
                LogLines.Append(_writer, path, RelabelLog.Header + "\n");
            else
                RelabelLog.CheckHeader(path, FirstLine(_writer.BaseStream));
        }
        catch
        {
            _writer.Dispose();
            throw;
        }
    }

    /// <summary>The audit file.</summary>
    public string Path { get; }

    /// <summary>Writes the rows (e.g. one batch's relabels) in one write and flushes them.</summary>
    /// <exception cref="MetricsFileException">The write failed.</exception>
    /// <exception cref="ArgumentException">A field holds a line break.</exception>
    public void Append(IEnumerable<RelabelRecord> records)
    {
        var text = new System.Text.StringBuilder();
        foreach (var record in records)
            text.Append(RelabelLog.ToCsv(record)).Append('\n');
        if (text.Length > 0)
            LogLines.Append(_writer, Path, text.ToString());
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _writer.Dispose();

    private static string FirstLine(Stream stream)
    {
        var end = stream.Position;
        stream.Seek(0, SeekOrigin.Begin);
        var reader = new StreamReader(stream, leaveOpen: true);
        var line = reader.ReadLine() ?? "";
        stream.Seek(end, SeekOrigin.Begin);
        return line;
    }
}
