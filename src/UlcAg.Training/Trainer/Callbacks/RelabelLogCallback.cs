using UlcAg.Training.Correction;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Trainer.Callbacks;

/// <summary>
/// Writes every label change to <c>relabels.csv</c> as it happens, with the evidence and, where known,
/// the clean label. On resume it first cuts the file back to the length the checkpoint recorded, which
/// also drops the rows of a partly repeated epoch (older checkpoints: at an epoch boundary, the rows of
/// epochs the checkpoint does not cover).
/// </summary>
public sealed class RelabelLogCallback : ITrainerCallback, IDisposable
{
    private RelabelLogWriter? _writer;

    public void OnFitStart(RunContext run)
    {
        if (run.Resumed && run.State.RelabelsLength is { } length) LogLines.CutTo(run.Folder.Relabels, length);
        else if (run.Resumed && run.State.Batch == 0 && File.Exists(run.Folder.Relabels)) RelabelLog.TruncateAfter(run.Folder.Relabels, run.State.Epoch);
        _writer = new RelabelLogWriter(run.Folder.Relabels);
    }

    public void OnTrainBatchEnd(RunContext run, BatchEnd batch) => Append(run, batch.Relabels);

    public void OnEpochEnd(RunContext run, EpochEnd epoch) => Append(run, epoch.Relabels);

    private void Append(RunContext run, IReadOnlyList<RelabelEvent> relabels)
    {
        if (relabels.Count == 0) return;
        var samples = run.Data.Train.Samples;
        _writer!.Append(relabels.Select(e => RelabelRecord.Create(samples[e.Sample].Id, e.Epoch, e.OldLabel, e.NewLabel, e.Alpha,
            (float)e.OldDistance, (float)e.NewDistance, run.Labels.Clean?[e.Sample], run.Data.ClassNames) with
        {
            PLabel = e.PLabel,
            PNew = e.PNew,
            Predicted = e.Predicted,
            Rank = e.Rank,
        }));
    }

    public void Dispose() => _writer?.Dispose();
}
