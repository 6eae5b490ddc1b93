namespace UlcAg.Training.Metrics;

/// <summary>
/// Appends epoch entries to <c>metrics.jsonl</c>, one line per call, flushed at once so the file is
/// current while the run goes on. Opening an existing log continues it (an incomplete last line left by
/// a crash is cut off first).
/// </summary>
public sealed class MetricsLogWriter : IDisposable
{
    private readonly StreamWriter _writer;

    /// <summary>Opens (or creates) the log at <paramref name="path"/>.</summary>
    /// <exception cref="MetricsFileException">The file cannot be opened for writing.</exception>
    public MetricsLogWriter(string path)
    {
        Path = path;
        _writer = LogLines.OpenAppend(path);
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>Writes one epoch's line and flushes it.</summary>
    /// <exception cref="MetricsFileException">The write failed.</exception>
    public void Append(EpochMetrics metrics) => LogLines.Append(_writer, Path, MetricsLog.ToJson(metrics) + "\n");

    /// <summary>Closes the file.</summary>
    public void Dispose() => _writer.Dispose();
}
