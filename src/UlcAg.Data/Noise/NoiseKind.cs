namespace UlcAg.Data.Noise;

/// <summary>How an injected wrong label is chosen.</summary>
public enum NoiseKind
{
    /// <summary>A uniformly random class other than the current one.</summary>
    Symmetric,

    /// <summary>A fixed other class per class (asymmetric, "pair flip"): by default c -> c + 1 (mod K).</summary>
    Pairwise,

    /// <summary>
    /// Instance-dependent: the labels an annotator would most likely confuse, judged by each face's AUs
    /// (the AUs it shows where known, else its AU labels): a face whose AUs sit close to another class's
    /// mean AUs is likelier to be flipped, and flips to that class (<see cref="LabelNoise"/>).
    /// </summary>
    Confusable,
}
