namespace UlcAg.Training.Trainer.Callbacks;

/// <summary>
/// Keeps <c>checkpoints/last</c> (every epoch and at an interrupt: all state of the train step plus
/// the trainer's, enough to resume exactly) and <c>checkpoints/best</c> (the weights of the epoch with
/// the best validation accuracy, which the run tests and exports). Each is written atomically.
/// </summary>
public sealed class CheckpointCallback : ITrainerCallback
{
    public void OnEpochEnd(RunContext run, EpochEnd end)
    {
        var accuracy = end.Metrics.ValAccuracy ?? 0;
        var improved = accuracy > run.State.BestValAccuracy;
        if (improved) run.State = run.State with { BestEpoch = end.Metrics.Epoch, BestValAccuracy = accuracy };
        SaveLast(run);
        if (improved)
            Checkpoint.Save(run.Folder.BestCheckpoint, end.Weights, run.Step.Weights.ToDictionary(s => s.Name, s => s.Shape), run.State);
    }

    public void OnInterrupted(RunContext run, Interruption stop) => SaveLast(run);

    private static void SaveLast(RunContext run)
    {
        run.State = run.State with { Labels = run.Labels.Current.ToArray(), Templates = run.Method.SaveTemplates(), MethodState = run.Method.SaveState() };
        var shapes = run.Session.StateNames.ToDictionary(n => n, run.Session.StateShape);
        Checkpoint.Save(run.Folder.LastCheckpoint, run.Session.ReadState(), shapes, run.State);
    }
}
