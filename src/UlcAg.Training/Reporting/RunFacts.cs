using UlcAg.Training.Metrics;

namespace UlcAg.Training.Reporting;

/// <summary>Facts read off a run's epoch entries that both the charts and the report state.</summary>
public static class RunFacts
{
    /// <summary>
    /// The epoch with the highest validation accuracy (the earliest of equals); null when no epoch was
    /// validated.
    /// </summary>
    public static EpochMetrics? BestValEpoch(IReadOnlyList<EpochMetrics> epochs)
    {
        EpochMetrics? best = null;
        foreach (var entry in epochs)
        {
            if (entry.ValAccuracy is { } accuracy && double.IsFinite(accuracy) && (best is null || accuracy > best.ValAccuracy))
                best = entry;
        }
        return best;
    }

    /// <summary>The last epoch whose relabel audit is known, or null.</summary>
    public static EpochMetrics? LastRelabel(IReadOnlyList<EpochMetrics> epochs) => epochs.LastOrDefault(e => e.Relabel is not null);

    /// <summary>The learning-rate group names in order of first appearance.</summary>
    public static IReadOnlyList<string> LearningRateGroups(IReadOnlyList<EpochMetrics> epochs) =>
        [.. epochs.SelectMany(e => e.LearningRates.Keys).Distinct()];
}
