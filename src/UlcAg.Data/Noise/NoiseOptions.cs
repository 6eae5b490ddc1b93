namespace UlcAg.Data.Noise;

/// <summary>Synthetic label noise: which kind, how much, and the seed that picks the samples.</summary>
public sealed record NoiseOptions
{
    /// <summary>Symmetric or pairwise.</summary>
    public NoiseKind Kind { get; init; } = NoiseKind.Symmetric;

    /// <summary>Fraction of samples flipped, 0..1: exactly round(Rate * N) samples (halves round away from zero).</summary>
    public required double Rate { get; init; }

    /// <summary>Seed of the random choice of samples (and of symmetric targets).</summary>
    public int Seed { get; init; }

    /// <summary>Pairwise: the class each class flips to (index -> index); null for c -> c + 1 (mod K).</summary>
    public IReadOnlyList<int>? PairMap { get; init; }
}
