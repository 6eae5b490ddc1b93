namespace UlcAg.Data.Synthetic;

/// <summary>
/// Class proportions for the synthetic splits, in <see cref="BasicExpression"/> order. Values are
/// relative weights (counts or fractions); <see cref="Counts"/> turns them into exact per-class
/// counts for a split size.
/// </summary>
public static class ClassBalance
{
    /// <summary>RAF-DB basic training split: 1290, 281, 717, 4772, 1982, 705, 2524 (12271 images).</summary>
    public static IReadOnlyList<double> RafDbTrain { get; } = [1290, 281, 717, 4772, 1982, 705, 2524];

    /// <summary>RAF-DB basic test split: 329, 74, 160, 1185, 478, 162, 680 (3068 images).</summary>
    public static IReadOnlyList<double> RafDbTest { get; } = [329, 74, 160, 1185, 478, 162, 680];

    /// <summary>Equal weight for every class.</summary>
    public static IReadOnlyList<double> Uniform { get; } = [1, 1, 1, 1, 1, 1, 1];

    /// <summary>
    /// Exact per-class counts summing to <paramref name="total"/>, proportional to
    /// <paramref name="weights"/> by the largest-remainder method (ties go to the lower class index).
    /// </summary>
    public static int[] Counts(IReadOnlyList<double> weights, int total)
    {
        var sum = weights.Sum();
        var counts = new int[weights.Count];
        var remainders = new double[weights.Count];
        var assigned = 0;
        for (var c = 0; c < weights.Count; c++)
        {
            var exact = total * weights[c] / sum;
            counts[c] = (int)Math.Floor(exact);
            remainders[c] = exact - counts[c];
            assigned += counts[c];
        }
        foreach (var c in Enumerable.Range(0, weights.Count).OrderByDescending(c => remainders[c]).ThenBy(c => c).Take(total - assigned))
            counts[c]++;
        return counts;
    }
}
