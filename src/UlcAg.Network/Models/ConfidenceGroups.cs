namespace UlcAg.Network.Models;

/// <summary>
/// The split of a batch by alpha into a high- and a low-confidence group (eq. 4 and 8): the one
/// count that the rank regularization in the graph, the trainer's templates and relabeling, and the
/// configuration check all use.
/// </summary>
public static class ConfidenceGroups
{
    /// <summary>round(phi n) samples of a batch of <paramref name="n"/> are high-confidence, kept within 1..n-1 so that both groups exist.</summary>
    public static int HighCount(int n, double ratio) => Math.Clamp(Unclamped(n, ratio), 1, n - 1);

    /// <summary>Whether round(phi n) leaves at least one sample in each group without clamping (what the configuration check asks).</summary>
    public static bool BothGroupsOccupied(int n, double ratio) => Unclamped(n, ratio) is var k && k >= 1 && k <= n - 1;

    private static int Unclamped(int n, double ratio) => (int)Math.Round(ratio * n);
}
