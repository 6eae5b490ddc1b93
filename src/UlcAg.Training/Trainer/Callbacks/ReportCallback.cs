using System.Globalization;
using UlcAg.Network.Models;
using UlcAg.Training.Metrics;
using UlcAg.Training.Reporting;

namespace UlcAg.Training.Trainer.Callbacks;

/// <summary>Writes <c>report.md</c> with its charts at the end of the run, from metrics.jsonl (all epochs, resumed ones included) and the test.</summary>
public sealed class ReportCallback : ITrainerCallback
{
    public void OnFitEnd(RunContext run, TestOutcome test)
    {
        var o = run.Options;
        var history = MetricsLog.Read(run.Folder.Metrics).Entries;
        var noisy = run.InitiallyNoisy;
        static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
        var report = new RunReport
        {
            Method = run.Method.Method.Name(),
            Dataset = run.Data.Description,
            Noise = run.Data.Noise,
            Branches = test.Branches,
            ClassNames = run.Data.ClassNames,
            Epochs = history.Count > 0 ? history : run.Epochs,
            Test = test.Test,
            Alpha = noisy is not null && run.Method.Method.HasAttention() && !run.LastAlpha.Any(float.IsNaN)
                ? new AlphaSnapshot(run.State.Epoch, run.LastAlpha, noisy)
                : null,
            Labels = run.CleanLabels is { } clean && run.Labels.Current.Where((l, i) => l != run.Labels.Initial[i]).Any()
                ? new TrainingLabels(run.Labels.Initial, run.Labels.Current, clean)
                : null,
            Settings =
            [
                new("input size", Text(o.Data.InputSize)),
                new("epochs", Text(o.Train.Epochs)),
                new("batch size", Text(o.Train.BatchSize)),
                new("pretrained", o.Model.Pretrained),
                new("best validation epoch", Text(run.State.BestEpoch)),
            ],
            Files =
            [
                new ReportLink("exported model", RunFolder.ModelFile), new ReportLink("configuration", RunFolder.ConfigFile),
                new ReportLink("metrics per epoch", RunFolder.MetricsFile), new ReportLink("relabel events", RunFolder.RelabelsFile),
            ],
        };
        RunReportWriter.Write(report, run.Folder.Root);
    }
}
