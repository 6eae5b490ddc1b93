using UlcAg.Network.Models;

namespace UlcAg.Training.Correction;

/// <summary>The batch split of eq. 4 and 8: the top <see cref="ConfidenceGroups.HighCount"/> alphas are high-confidence, the rest low.</summary>
public static class ConfidenceSplit
{
    public static bool[] High(ReadOnlySpan<float> alpha, double ratio)
    {
        var n = alpha.Length;
        var k = ConfidenceGroups.HighCount(n, ratio);
        var a = alpha.ToArray();
        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i]).ThenBy(i => i).ToArray();
        var high = new bool[n];
        for (var r = 0; r < k; r++) high[order[r]] = true;
        return high;
    }
}
