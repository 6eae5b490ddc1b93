using System.Globalization;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Progress;

/// <summary>
/// Progress as plain lines for logs and CI, where a redrawn bar would become thousands of lines: one line
/// when an epoch starts, a step line at most once per <see cref="StepInterval"/>, the summary line when it
/// ends, and messages. Every line starts with the local time, "[hh:mm:ss] ".
/// </summary>
public sealed class PlainProgressReporter : IProgressReporter
{
    private readonly TextWriter _writer;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private long _lastLine;
    private int _totalEpochs;

    /// <summary>Writes to <paramref name="writer"/>; step lines at most once per <paramref name="stepInterval"/> (default 30 s).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is negative.</exception>
    public PlainProgressReporter(TextWriter writer, TimeSpan? stepInterval = null, TimeProvider? time = null)
    {
        StepInterval = stepInterval ?? TimeSpan.FromSeconds(30);
        if (StepInterval < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(stepInterval), StepInterval, "The step line interval must not be negative.");
        _writer = writer;
        _time = time ?? TimeProvider.System;
        _lastLine = _time.GetTimestamp();
    }

    /// <summary>The least time between two step lines.</summary>
    public TimeSpan StepInterval { get; }

    /// <inheritdoc/>
    public void EpochStarted(EpochStart start)
    {
        _totalEpochs = start.TotalEpochs;
        Write(ProgressText.EpochStartLine(start));
    }

    /// <inheritdoc/>
    public void StepCompleted(StepProgress progress)
    {
        // The last step is covered by the epoch summary that follows.
        if (progress.Step < progress.Steps && _time.GetElapsedTime(_lastLine) >= StepInterval)
            Write("  " + ProgressText.StepLine(progress));
    }

    /// <inheritdoc/>
    public void EpochCompleted(EpochMetrics metrics) =>
        Write(ProgressText.EpochLine(metrics, _totalEpochs > 0 ? _totalEpochs : null));

    /// <inheritdoc/>
    public void Message(string text, ProgressMessageKind kind = ProgressMessageKind.Info) =>
        Write(kind == ProgressMessageKind.Warning ? "warning: " + text : text);

    /// <summary>Flushes the writer (it is not closed; the caller owns it).</summary>
    public void Dispose()
    {
        lock (_gate)
            _writer.Flush();
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            var clock = _time.GetLocalNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
            _writer.Write($"[{clock}] {line}\n");
            _writer.Flush();
            _lastLine = _time.GetTimestamp();
        }
    }
}
