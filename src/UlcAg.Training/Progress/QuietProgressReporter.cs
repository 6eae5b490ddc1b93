using UlcAg.Training.Metrics;

namespace UlcAg.Training.Progress;

/// <summary>Shows nothing: for runs embedded in other programs and for tests.</summary>
public sealed class QuietProgressReporter : IProgressReporter
{
    /// <inheritdoc/>
    public void EpochStarted(EpochStart start)
    {
    }

    /// <inheritdoc/>
    public void StepCompleted(StepProgress progress)
    {
    }

    /// <inheritdoc/>
    public void EpochCompleted(EpochMetrics metrics)
    {
    }

    /// <inheritdoc/>
    public void Message(string text, ProgressMessageKind kind = ProgressMessageKind.Info)
    {
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
