namespace UlcAg.Training.Reporting;

/// <summary>The confidence weight alpha (eq. 1) of every training sample at one epoch, with whether its starting label was wrong.</summary>
/// <param name="Epoch">The epoch the values come from.</param>
/// <param name="Alpha">Alpha per sample.</param>
/// <param name="Noisy">Per sample, whether the label the run started from differs from the clean label.</param>
public sealed record AlphaSnapshot(int Epoch, IReadOnlyList<float> Alpha, IReadOnlyList<bool> Noisy);
