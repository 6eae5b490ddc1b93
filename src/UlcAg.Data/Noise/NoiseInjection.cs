namespace UlcAg.Data.Noise;

/// <summary>The result of <see cref="LabelNoise.Inject"/>.</summary>
/// <param name="Split">The split with flipped labels; every sample's <see cref="Sample.CleanLabel"/> holds its clean label.</param>
/// <param name="Flipped">Indices of the flipped samples, ascending.</param>
public sealed record NoiseInjection(DatasetSplit Split, IReadOnlyList<int> Flipped);
