using System.Globalization;

namespace UlcAg.Training.Trainer.Callbacks;

/// <summary>Shows the run to the person watching: epoch and step progress, epoch summaries, the final summary.</summary>
public sealed class ProgressCallback : ITrainerCallback
{
    public void OnTrainEpochStart(RunContext run, Progress.EpochStart start) => run.Progress.EpochStarted(start);

    public void OnTrainBatchEnd(RunContext run, BatchEnd batch) => run.Progress.StepCompleted(batch.Progress);

    public void OnEpochEnd(RunContext run, EpochEnd epoch)
    {
        run.Progress.EpochCompleted(epoch.Metrics);
        if (run.State.BestEpoch == epoch.Metrics.Epoch)
            run.Say($"epoch {epoch.Metrics.Epoch}: best validation accuracy so far ({epoch.Metrics.ValAccuracy:P2}); checkpoint kept");
    }

    public void OnFitEnd(RunContext run, TestOutcome test)
    {
        run.Say($"test accuracy {test.Test.Accuracy:P2} (mean class {test.Test.MeanClassAccuracy:P2}) with the best validation epoch {run.State.BestEpoch}");
        var audit = test.Audit;
        if (audit.CleanKnown)
        {
            run.Say($"relabeling: {audit.ChangedTotal} labels changed, precision {Percent(audit.PrecisionTotal)}, recall {Percent(audit.Recall)}, noisy labels still wrong {Percent(audit.NoisyStillWrong)}");
            var (start, end) = ((double)audit.Noisy / Math.Max(1, audit.Samples), audit.NoiseRate ?? 0);
            var verdict = end < start ? "lowered it" : end > start ? "raised it" : "left it unchanged";
            run.Say($"wrong training labels: {Percent(start)} at the start, {Percent(end)} at the end (relabeling {verdict})");
        }
        run.Say($"model: {run.Folder.Model}");
        run.Say($"report: {run.Folder.Report}");
        run.Say($"run: {run.Folder.Root} (config.yaml, metrics.jsonl, relabels.csv, checkpoints/)");
    }

    private static string Percent(double? v) => v is { } x ? x.ToString("P1", CultureInfo.InvariantCulture) : "n/a";
}
