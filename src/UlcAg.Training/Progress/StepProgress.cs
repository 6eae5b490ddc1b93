namespace UlcAg.Training.Progress;

/// <summary>Where an epoch stands after a training step.</summary>
/// <param name="Epoch">The epoch.</param>
/// <param name="TotalEpochs">The last epoch of the run.</param>
/// <param name="Step">Steps done in this epoch (1-based count).</param>
/// <param name="Steps">Steps in this epoch.</param>
/// <param name="ImagesPerSecond">Recent training throughput; null before it can be measured.</param>
/// <param name="Remaining">Estimated time to the end of the epoch's training steps; null before it can be estimated.</param>
/// <param name="Losses">Recent (smoothed) loss terms, keyed by <see cref="Metrics.LossTerms"/> names.</param>
public sealed record StepProgress(
    int Epoch,
    int TotalEpochs,
    int Step,
    int Steps,
    double? ImagesPerSecond,
    TimeSpan? Remaining,
    IReadOnlyDictionary<string, double> Losses)
{
    /// <summary>Share of the epoch's steps done, 0..1.</summary>
    public double Fraction => Steps > 0 ? Math.Clamp((double)Step / Steps, 0, 1) : 0;
}
