using UlcAg.Training.Metrics;

namespace UlcAg.Training.Experiments;

/// <summary>
/// The numbers a finished run contributes to a table, read from its <c>test.json</c> (written last, so
/// its presence marks a finished run) and <c>metrics.jsonl</c>. Relabel figures are null where the
/// clean labels are unknown or nothing was relabeled.
/// </summary>
public sealed record RunResult
{
    /// <summary>The run's test.json.</summary>
    public required TestResults Test { get; init; }

    /// <summary>ROC AUC of alpha for noisy vs clean samples in the last epoch.</summary>
    public double? AlphaAuc { get; init; }

    /// <summary>Training time over all epochs (validation included), from metrics.jsonl.</summary>
    public double TrainSeconds { get; init; }

    /// <summary>Whether <paramref name="runDirectory"/> holds a finished run.</summary>
    public static bool IsFinished(string runDirectory) => new RunFolder(runDirectory).IsFinished;

    /// <summary>Reads a finished run.</summary>
    /// <exception cref="ExperimentException">test.json is missing or not what the trainer writes.</exception>
    public static RunResult Read(string runDirectory)
    {
        var folder = new RunFolder(runDirectory);
        try
        {
            var test = TestResults.Read(folder.TestResults);
            var epochs = File.Exists(folder.Metrics) ? MetricsLog.Read(folder.Metrics).Entries : [];
            return new RunResult
            {
                Test = test,
                AlphaAuc = epochs.Count > 0 ? epochs[^1].AlphaAuc : null,
                TrainSeconds = epochs.Sum(e => e.Seconds ?? 0),
            };
        }
        catch (MetricsFileException e)
        {
            throw new ExperimentException($"{folder.TestResults}: not a finished run's test results ({e.Message}); delete the run directory to train it again");
        }
    }
}
