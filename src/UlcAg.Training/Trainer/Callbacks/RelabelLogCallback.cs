using UlcAg.Training.Metrics;

namespace UlcAg.Training.Trainer.Callbacks;

/// <summary>
/// Writes every label change to <c>relabels.csv</c> as it happens, with the evidence and, where known,
/// the clean label. On resume at an epoch boundary it first drops rows of epochs the checkpoint does not cover.
/// </summary>
public sealed class RelabelLogCallback : ITrainerCallback, IDisposable
{
    private RelabelLogWriter? _writer;

    public void OnFitStart(RunContext run)
    {
        if (run.Resumed && run.State.Batch == 0 && File.Exists(run.Folder.Relabels)) RelabelLog.TruncateAfter(run.Folder.Relabels, run.State.Epoch);
        _writer = new RelabelLogWriter(run.Folder.Relabels);
    }

    public void OnTrainBatchEnd(RunContext run, BatchEnd batch)
    {
        if (batch.Relabels.Count == 0) return;
        var samples = run.Data.Train.Samples;
        _writer!.Append(batch.Relabels.Select(e => RelabelRecord.Create(samples[e.Sample].Id, e.Epoch, e.OldLabel, e.NewLabel, e.Alpha,
            (float)e.OldDistance, (float)e.NewDistance, run.Labels.Clean?[e.Sample], run.Data.ClassNames)));
    }

    public void Dispose() => _writer?.Dispose();
}
