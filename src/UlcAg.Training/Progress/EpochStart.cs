namespace UlcAg.Training.Progress;

/// <summary>The start of an epoch.</summary>
/// <param name="Epoch">The epoch, as the trainer counts it.</param>
/// <param name="TotalEpochs">The last epoch of the run.</param>
/// <param name="Steps">Training steps in this epoch.</param>
/// <param name="BatchSize">Images per step.</param>
public sealed record EpochStart(int Epoch, int TotalEpochs, int Steps, int BatchSize);
