using UlcAg.Training.Metrics;

namespace UlcAg.Training.Progress;

/// <summary>
/// Shows a run's progress to a person: the trainer calls it at the start of an epoch, after each step,
/// at the end of an epoch, and for anything worth saying in between. Implementations decide how much of
/// it to show (a live bar in a terminal, occasional lines in a log). Calls come from the training thread.
/// </summary>
public interface IProgressReporter : IDisposable
{
    /// <summary>An epoch begins.</summary>
    void EpochStarted(EpochStart start);

    /// <summary>A training step finished.</summary>
    void StepCompleted(StepProgress progress);

    /// <summary>An epoch finished (training and evaluation); <paramref name="metrics"/> is what it measured.</summary>
    void EpochCompleted(EpochMetrics metrics);

    /// <summary>A line for the person watching (e.g. "relabeling starts", "checkpoint written").</summary>
    void Message(string text, ProgressMessageKind kind = ProgressMessageKind.Info);
}
