using UlcAg.Network.Layers;
using UlcAg.Network.Models;
using UlcAg.Network.Weights;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Network.Tests;

/// <summary>A reduced ULC-AG configuration (narrow widths, small images) and random feeds for it.</summary>
internal static class NetworkFixture
{
    public const int Batch = 6;

    public static NetworkOptions Tiny(Method method = Method.UlcAg, bool alphaGradient = false) => new()
    {
        Method = method, Classes = 3, InputSize = 32, AuCount = 4, NodeDim = 5, GcnChannels = 6, Width = 4,
        AlphaThroughAuLoss = alphaGradient,
    };

    public static TensorMap Weights(NetworkOptions o, int seed = 1) => Initializers.Default(UlcAgNetwork.WeightSpecs(o), seed);

    public static byte[] Images(int n, int size, int seed)
    {
        var bytes = new byte[n * size * size * 3];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Batch feeds of a train step (everything but weights and learning rates).</summary>
    public static Dictionary<string, (Array, long[])> BatchFeeds(NetworkOptions o, int seed)
    {
        var rng = new Random(seed);
        var f = new Dictionary<string, (Array, long[])>
        {
            [N.Images] = (Images(Batch, o.InputSize, seed), [Batch, o.InputSize, o.InputSize, 3]),
            [N.Labels] = (Enumerable.Range(0, Batch).Select(i => (long)(i % o.Classes)).ToArray(), [Batch]),
            [N.ClassWeights] = (Enumerable.Range(0, Batch).Select(_ => (float)(0.5 + rng.NextDouble() * 0.5)).ToArray(), [Batch]),
            [N.Lambda1] = (new[] { 1.3f }, []),
            [N.Lambda2] = (new[] { 0.7f }, []),
            [N.RrMargin] = (new[] { 0.15f }, []),
        };
        if (o.Method.HasAuxBranch())
        {
            f[N.AuTargets] = (Enumerable.Range(0, Batch * o.AuCount).Select(_ => (float)rng.Next(2)).ToArray(), [Batch, o.AuCount]);
            f[N.AuMask] = (Enumerable.Range(0, Batch).Select(i => i == 2 ? 0f : 1f).ToArray(), [Batch]);
            f[N.Adjacency] = (RowNormalized(o.AuCount, rng), [o.AuCount, o.AuCount]);
        }
        return f;
    }

    public static float[] RowNormalized(int m, Random rng)
    {
        var a = Enumerable.Range(0, m * m).Select(_ => (float)rng.NextDouble()).ToArray();
        for (var r = 0; r < m; r++)
        {
            var sum = a.Skip(r * m).Take(m).Sum();
            for (var c = 0; c < m; c++) a[r * m + c] /= sum;
        }
        return a;
    }

    public static void AddWeights(Dictionary<string, (Array, long[])> feeds, TensorMap weights)
    {
        foreach (var (name, t) in weights) feeds[name] = (t.Data, t.Shape);
    }
}
