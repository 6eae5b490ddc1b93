using UlcAg.Training.Metrics;

namespace UlcAg.Training.Trainer.Callbacks;

/// <summary>
/// Appends each epoch's metrics to <c>metrics.jsonl</c>; on resume first cuts it back to the length the
/// checkpoint recorded (older checkpoints: drops lines of epochs it does not cover).
/// </summary>
public sealed class MetricsLogCallback : ITrainerCallback, IDisposable
{
    private MetricsLogWriter? _writer;

    public void OnFitStart(RunContext run)
    {
        if (run.Resumed && run.State.MetricsLength is { } length) LogLines.CutTo(run.Folder.Metrics, length);
        else if (run.Resumed && File.Exists(run.Folder.Metrics)) MetricsLog.TruncateAfter(run.Folder.Metrics, run.State.Epoch);
        _writer = new MetricsLogWriter(run.Folder.Metrics);
    }

    public void OnEpochEnd(RunContext run, EpochEnd epoch)
    {
        _writer!.Append(epoch.Metrics);
        run.Epochs.Add(epoch.Metrics);
    }

    public void Dispose() => _writer?.Dispose();
}
