namespace UlcAg.Training.Trainer.Callbacks;

/// <summary>
/// Keeps <c>checkpoints/last</c> (every epoch and at an interrupt: all state of the train step plus
/// the trainer's, enough to resume exactly) and <c>checkpoints/best</c> (the weights of the epoch with
/// the best validation accuracy, which the run tests and exports). Each is written atomically; last
/// first, as it is the record of where the run stands: a crash before best/ follows is repaired on
/// resume (<see cref="BestCheckpoint"/>). Runs after the log callbacks, so the log lengths it records
/// include the epoch's lines.
/// </summary>
public sealed class CheckpointCallback : ITrainerCallback
{
    public void OnEpochEnd(RunContext run, EpochEnd epoch)
    {
        var accuracy = epoch.Metrics.ValAccuracy ?? 0;
        var improved = accuracy > run.State.BestValAccuracy;
        if (improved) run.State = run.State with { BestEpoch = epoch.Metrics.Epoch, BestValAccuracy = accuracy };
        SaveLast(run);
        if (!improved) return;
        CheckpointFaults.Hit(CheckpointFault.BetweenLastAndBest, run.Folder.BestCheckpoint);
        Checkpoint.Save(run.Folder.BestCheckpoint, epoch.Weights, run.Step.Weights.ToDictionary(s => s.Name, s => s.Shape), run.State);
    }

    public void OnInterrupted(RunContext run, Interruption interruption) => SaveLast(run);

    private static void SaveLast(RunContext run)
    {
        run.State = run.State with
        {
            Labels = run.Labels.Current.ToArray(),
            Templates = run.Method.SaveTemplates(),
            MethodState = run.Method.SaveState(),
            Alpha = run.LastAlpha.ToArray(),
            MetricsLength = LengthOf(run.Folder.Metrics),
            RelabelsLength = LengthOf(run.Folder.Relabels),
        };
        var shapes = run.Session.StateNames.ToDictionary(n => n, run.Session.StateShape);
        Checkpoint.Save(run.Folder.LastCheckpoint, run.Session.ReadState(), shapes, run.State);
    }

    private static long LengthOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
