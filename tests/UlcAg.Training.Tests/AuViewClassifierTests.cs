using UlcAg.Training.Correction;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class AuViewClassifierTests
{
    /// <summary>Three Gaussian blobs in 4-D (one informative axis per class, one pure-noise axis).</summary>
    private static (float[] X, int[] Y) Blobs(int perClass, int seed)
    {
        var rng = new Random(seed);
        var x = new List<float>();
        var y = new List<int>();
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < perClass; i++)
            {
                for (var k = 0; k < 4; k++) x.Add((k == c ? 2f : 0f) + (float)(rng.NextDouble() - 0.5));
                y.Add(c);
            }
        }
        return ([.. x], [.. y]);
    }

    [TestMethod]
    public void FitsSeparableClassesAndItsLossFallsFromChance()
    {
        var (x, y) = Blobs(30, 1);
        var view = new AuViewClassifier(4, 3);
        var rows = Enumerable.Range(0, y.Length).ToList();
        var loss = view.Fit(x, y, rows);
        Assert.IsLessThan(0.1 * Math.Log(3), loss, "the cross-entropy falls far below chance (ln 3)");
        var (tx, ty) = Blobs(20, 2);
        var p = new double[3];
        for (var i = 0; i < ty.Length; i++)
        {
            view.Probabilities(tx.AsSpan(i * 4, 4), p);
            Assert.AreEqual(1, p.Sum(), 1e-9);
            Assert.AreEqual(ty[i], Array.IndexOf(p, p.Max()), $"held-out sample {i}");
        }
    }

    [TestMethod]
    public void FitsOnlyTheGivenRows()
    {
        var (x, y) = Blobs(30, 3);
        // Rows of class 2 left out: the fitted view never names class 2.
        var rows = Enumerable.Range(0, y.Length).Where(i => y[i] != 2).ToList();
        var view = new AuViewClassifier(4, 3);
        view.Fit(x, y, rows);
        var p = new double[3];
        for (var i = 0; i < y.Length; i++)
        {
            view.Probabilities(x.AsSpan(i * 4, 4), p);
            Assert.AreNotEqual(2, Array.IndexOf(p, p.Max()), $"sample {i}");
        }
    }

    [TestMethod]
    public void ASnapshotRestoresTheWeightsAndTheWarmStartExactly()
    {
        var (x, y) = Blobs(20, 4);
        var rows = Enumerable.Range(0, y.Length).ToList();
        var a = new AuViewClassifier(4, 3);
        a.Fit(x, y, rows);
        var b = new AuViewClassifier(4, 3);
        b.Restore(a.Snapshot());
        // The next fit warm-starts from the restored weights in both: identical results.
        Assert.AreEqual(a.Fit(x, y, rows), b.Fit(x, y, rows));
        CollectionAssert.AreEqual(a.Snapshot(), b.Snapshot());
    }
}
