namespace UlcAg.Training.Metrics;

/// <summary>
/// How the labels of a run have moved by the end of an epoch (relabeling, eq. 9-10), and, where the
/// clean labels are known (injected noise, synthetic data), whether the moves were right. Counts are
/// stored; the shares derive from them and are null where their denominator is zero or the clean
/// labels are unknown.
/// </summary>
public sealed record RelabelAudit
{
    /// <summary>Samples audited.</summary>
    public int Samples { get; init; }

    /// <summary>Samples whose label changed during this epoch.</summary>
    public int Changed { get; init; }

    /// <summary>Samples whose label differs from the one the run started with.</summary>
    public int ChangedTotal { get; init; }

    /// <summary>Whether the clean labels were known, so the fields below are meaningful.</summary>
    public bool CleanKnown { get; init; }

    /// <summary>Of <see cref="Changed"/>, how many now carry the clean label.</summary>
    public int ChangedCorrect { get; init; }

    /// <summary>Of <see cref="ChangedTotal"/>, how many now carry the clean label.</summary>
    public int ChangedTotalCorrect { get; init; }

    /// <summary>Samples whose starting label was wrong.</summary>
    public int Noisy { get; init; }

    /// <summary>Noisy samples that now carry the clean label.</summary>
    public int NoisyFixed { get; init; }

    /// <summary>Noisy samples whose label was changed, but to another wrong class.</summary>
    public int NoisyMoved { get; init; }

    /// <summary>Samples whose starting label was clean and has been changed to a wrong one.</summary>
    public int CleanBroken { get; init; }

    /// <summary>Samples whose current label is wrong.</summary>
    public int WrongNow { get; init; }

    /// <summary>Precision of this epoch's corrections: <see cref="ChangedCorrect"/> / <see cref="Changed"/>.</summary>
    public double? Precision => Share(ChangedCorrect, Changed);

    /// <summary>Precision of all corrections so far: <see cref="ChangedTotalCorrect"/> / <see cref="ChangedTotal"/>.</summary>
    public double? PrecisionTotal => Share(ChangedTotalCorrect, ChangedTotal);

    /// <summary>Recall of the corrections: <see cref="NoisyFixed"/> / <see cref="Noisy"/>.</summary>
    public double? Recall => Share(NoisyFixed, Noisy);

    /// <summary>Share of the starting noisy labels that are still wrong (1 - <see cref="Recall"/>).</summary>
    public double? NoisyStillWrong => Share(Noisy - NoisyFixed, Noisy);

    /// <summary>Share of all current labels that are wrong: the noise rate the next epoch trains on.</summary>
    public double? NoiseRate => Share(WrongNow, Samples);

    private double? Share(int part, int whole) => CleanKnown && whole > 0 ? (double)part / whole : null;

    /// <summary>
    /// Audits <paramref name="current"/> labels against the labels at the start of the epoch, the labels
    /// the run started with, and, when given, the clean labels (all indexed by sample).
    /// </summary>
    /// <param name="initial">The labels the run started from (the noisy training labels).</param>
    /// <param name="epochStart">The labels when this epoch began.</param>
    /// <param name="current">The labels now.</param>
    /// <param name="clean">The true label of every sample, or null when they are unknown.</param>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public static RelabelAudit Compute(
        IReadOnlyList<int> initial,
        IReadOnlyList<int> epochStart,
        IReadOnlyList<int> current,
        IReadOnlyList<int>? clean = null)
    {
        var n = current.Count;
        CheckLength(initial, n, nameof(initial));
        CheckLength(epochStart, n, nameof(epochStart));
        if (clean is not null)
            CheckLength(clean, n, nameof(clean));

        int changed = 0, changedTotal = 0, changedCorrect = 0, changedTotalCorrect = 0;
        int noisy = 0, noisyFixed = 0, noisyMoved = 0, cleanBroken = 0, wrongNow = 0;
        for (var i = 0; i < n; i++)
        {
            var now = current[i];
            var changedHere = epochStart[i] != now;
            var changedSinceStart = initial[i] != now;
            if (changedHere)
                changed++;
            if (changedSinceStart)
                changedTotal++;
            if (clean is null)
                continue;

            var truth = clean[i];
            var rightNow = now == truth;
            if (!rightNow)
                wrongNow++;
            if (changedHere && rightNow)
                changedCorrect++;
            if (changedSinceStart && rightNow)
                changedTotalCorrect++;
            if (initial[i] != truth)
            {
                noisy++;
                if (rightNow)
                    noisyFixed++;
                else if (changedSinceStart)
                    noisyMoved++;
            }
            else if (!rightNow)
                cleanBroken++;
        }
        return new RelabelAudit
        {
            Samples = n,
            Changed = changed,
            ChangedTotal = changedTotal,
            CleanKnown = clean is not null,
            ChangedCorrect = changedCorrect,
            ChangedTotalCorrect = changedTotalCorrect,
            Noisy = noisy,
            NoisyFixed = noisyFixed,
            NoisyMoved = noisyMoved,
            CleanBroken = cleanBroken,
            WrongNow = wrongNow,
        };
    }

    private static void CheckLength(IReadOnlyList<int> labels, int expected, string name)
    {
        if (labels.Count != expected)
            throw new ArgumentException($"'{name}' has {labels.Count} labels; expected {expected}, one per sample.", name);
    }
}
