namespace UlcAg.Data.Noise;

/// <summary>How an injected wrong label is chosen.</summary>
public enum NoiseKind
{
    /// <summary>A uniformly random class other than the current one.</summary>
    Symmetric,

    /// <summary>A fixed other class per class (asymmetric, "pair flip"): by default c -> c + 1 (mod K).</summary>
    Pairwise,
}
