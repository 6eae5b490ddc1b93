namespace UlcAg.Training.Metrics;

/// <summary>
/// Area under the ROC curve of a score for a binary target: the probability that a random positive
/// scores higher than a random negative, ties counting one half (the Mann-Whitney U statistic over
/// average ranks). Used to ask whether the confidence weight alpha (eq. 1) separates noisy from clean
/// samples.
/// </summary>
public static class RocAuc
{
    /// <summary>
    /// AUC of <paramref name="scores"/> for <paramref name="positive"/>; null when either class is empty
    /// (the area is undefined).
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, or a score is NaN.</exception>
    public static double? Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        if (scores.Length != positive.Length)
            throw new ArgumentException($"{scores.Length} scores but {positive.Length} targets; expected one target per score.", nameof(positive));
        var order = new int[scores.Length];
        var sorted = new double[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            if (double.IsNaN(scores[i]))
                throw new ArgumentException($"Score {i} is NaN; the AUC needs comparable scores.", nameof(scores));
            order[i] = i;
            sorted[i] = scores[i];
        }
        Array.Sort(sorted, order);

        long positives = 0;
        var positiveRankSum = 0.0;
        for (var start = 0; start < sorted.Length;)
        {
            var end = start;
            while (end + 1 < sorted.Length && sorted[end + 1] == sorted[start])
                end++;
            // Tied scores share the mean of the 1-based ranks start+1..end+1.
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                if (positive[order[k]])
                {
                    positives++;
                    positiveRankSum += rank;
                }
            }
            start = end + 1;
        }
        long negatives = scores.Length - positives;
        if (positives == 0 || negatives == 0)
            return null;
        var u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double)positives * negatives);
    }

    /// <summary>
    /// How well a low <paramref name="alpha"/> flags a noisy label: the AUC of -alpha for
    /// <paramref name="noisy"/>. 1 means every noisy sample has a lower alpha than every clean one,
    /// 0.5 means alpha carries no information about the noise.
    /// </summary>
    public static double? AlphaFlagsNoise(ReadOnlySpan<float> alpha, ReadOnlySpan<bool> noisy)
    {
        var scores = new double[alpha.Length];
        for (var i = 0; i < alpha.Length; i++)
            scores[i] = -alpha[i];
        return Compute(scores, noisy);
    }
}
