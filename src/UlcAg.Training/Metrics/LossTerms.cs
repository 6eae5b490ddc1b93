namespace UlcAg.Training.Metrics;

/// <summary>The names loss terms carry in metrics, logs and plots.</summary>
public static class LossTerms
{
    /// <summary>Weighted cross-entropy of the target branch (eq. 3).</summary>
    public const string Wce = "wce";

    /// <summary>Plain cross-entropy (baseline method).</summary>
    public const string Ce = "ce";

    /// <summary>Rank regularization (eq. 4).</summary>
    public const string Rr = "rr";

    /// <summary>AU loss of the auxiliary branch (eq. 7).</summary>
    public const string Au = "au";

    /// <summary>The total loss that is minimized (eq. 11).</summary>
    public const string Total = "total";

    /// <summary>The order terms are listed and plotted in; other names follow in the order they appear.</summary>
    public static IReadOnlyList<string> DisplayOrder { get; } = [Total, Wce, Ce, Rr, Au];

    /// <summary>Orders <paramref name="names"/> by <see cref="DisplayOrder"/>, unknown names last (stable).</summary>
    public static IReadOnlyList<string> Ordered(IEnumerable<string> names) =>
        [.. names.Distinct()
            .Select((name, index) => (name, index))
            .OrderBy(t => IndexOrLast(t.name))
            .ThenBy(t => t.index)
            .Select(t => t.name)];

    private static int IndexOrLast(string name)
    {
        for (var i = 0; i < DisplayOrder.Count; i++)
        {
            if (DisplayOrder[i] == name)
                return i;
        }
        return DisplayOrder.Count;
    }
}
