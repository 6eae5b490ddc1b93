namespace UlcAg.Training.Correction;

/// <summary>
/// A label change made by relabeling, with the evidence: the distances of s to the old and new class's
/// templates (eq. 9), and where the rule had them the classifier's probabilities of both labels, its
/// argmax, and the sample's rank by the classifier's p(label) within its class (1 = the least supported label).
/// </summary>
public sealed record RelabelEvent(int Sample, int Epoch, int OldLabel, int NewLabel, float Alpha, double OldDistance, double NewDistance)
{
    public float? PLabel { get; init; }
    public float? PNew { get; init; }
    public int? Predicted { get; init; }
    public int? Rank { get; init; }
}

/// <summary>
/// The training labels as they evolve: the labels the run started from (possibly noisy), the
/// current labels (after corrections, used by later batches for gamma and the loss), and the
/// clean labels where they are known (injected noise, synthetic data).
/// </summary>
public sealed class LabelStore
{
    public LabelStore(int[] initial, int?[]? clean = null)
    {
        Initial = (int[])initial.Clone();
        Current = (int[])initial.Clone();
        Clean = clean;
    }

    public int[] Initial { get; }
    public int[] Current { get; }
    public int?[]? Clean { get; }
    public int Count => Current.Length;

    /// <summary>Changes sample <paramref name="sample"/>'s label.</summary>
    public void Set(int sample, int label) => Current[sample] = label;

    /// <summary>Restores the current labels (resume).</summary>
    public void Restore(int[] current)
    {
        if (current.Length != Current.Length) throw new ArgumentException($"label store of {current.Length} entries for {Current.Length} samples");
        current.CopyTo(Current, 0);
    }
}
