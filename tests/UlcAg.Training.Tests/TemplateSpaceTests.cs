using UlcAg.Training.Correction;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class TemplateSpaceTests
{
    /// <summary>
    /// Two classes in 3-D whose means differ only along axis 0 (by 1.5), with noise shared by axes 0 and 1
    /// (the same draw added to both) and a pure-noise axis 2. The Bayes rule subtracts axis 1 from axis 0
    /// to cancel the shared noise (about 96% right); distances of standardized vectors cannot.
    /// </summary>
    private static (float[] X, int[] Y) Correlated(int perClass, int seed)
    {
        var rng = new Random(seed);
        var x = new List<float>();
        var y = new List<int>();
        for (var i = 0; i < 2 * perClass; i++)
        {
            var c = i % 2;
            var shared = Gaussian(rng);
            x.AddRange([1.5f * c + shared + 0.3f * Gaussian(rng), shared + 0.3f * Gaussian(rng), 3 * Gaussian(rng)]);
            y.Add(c);
        }
        return ([.. x], [.. y]);
    }

    private static float Gaussian(Random rng) => (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));

    private static IReadOnlyList<int>[] Groups(int[] y, int classes) =>
        [.. Enumerable.Range(0, classes).Select(c => (IReadOnlyList<int>)Enumerable.Range(0, y.Length).Where(i => y[i] == c).ToList())];

    private static double Accuracy(bool whiten, (float[] X, int[] Y) train, (float[] X, int[] Y) test)
    {
        var groups = Groups(train.Y, 2);
        var space = TemplateSpace.Fit(train.X, 3, groups, standardize: true, whiten);
        var templates = new SemanticTemplates(2, 3, momentum: 0, TemplateSpace.DistanceFor(whiten));
        templates.Restore(space.ClassMeans(space.MapRows(train.X), groups));
        var hits = Enumerable.Range(0, test.Y.Length).Count(j => templates.Nearest(space.Map(test.X.AsSpan(j * 3, 3))).Class == test.Y[j]);
        return (double)hits / test.Y.Length;
    }

    [TestMethod]
    public void WhiteningCancelsNoiseThatAxesShare()
    {
        var (train, test) = (Correlated(300, 1), Correlated(300, 2));
        var cosine = Accuracy(whiten: false, train, test);
        var whitened = Accuracy(whiten: true, train, test);
        // Measured: 96.3% whitened (the Bayes rule's 96%, the shrinkage costing little here) against 73.3% for
        // the cosine of standardized vectors, which cannot subtract the noise that axes 0 and 1 share.
        Assert.IsTrue(whitened > 0.9, $"whitened {whitened:P1}");
        Assert.IsTrue(whitened > cosine + 0.15, $"whitened {whitened:P1}, cosine {cosine:P1}");
    }

    [TestMethod]
    public void CholeskyFactorReproducesTheMatrix()
    {
        double[] a = [4, 2, 0.6, 2, 5, 1.5, 0.6, 1.5, 3];
        var l = TemplateSpace.Cholesky(a, 3);
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                if (c > r) Assert.AreEqual(0, l[r * 3 + c]);
                var v = 0.0;
                for (var k = 0; k < 3; k++) v += l[r * 3 + k] * l[c * 3 + k];
                Assert.AreEqual(a[r * 3 + c], v, 1e-12);
            }
        }
    }

    [TestMethod]
    public void SnapshotRestoresTheSameMapping()
    {
        var (x, y) = Correlated(50, 4);
        foreach (var whiten in new[] { false, true })
        {
            var space = TemplateSpace.Fit(x, 3, Groups(y, 2), standardize: true, whiten);
            var back = TemplateSpace.Restore(space.Snapshot(), 3);
            Assert.AreEqual(whiten, back.Whitened);
            float[] s = [0.3f, -1.2f, 2.5f];
            var (m1, m2) = (space.Map(s), back.Map(s));
            CollectionAssert.AreEqual(m1, m2);
        }
        Assert.ThrowsExactly<ArgumentException>(() => TemplateSpace.Restore(new float[7], 3));
    }

    [TestMethod]
    public void WithoutSpreadWithinClassesTheWhitenedSpaceIsStandardizedAndEuclidean()
    {
        var (x, _) = Correlated(20, 5);
        // No trusted rows, and one row per class (no spread within a class to whiten by).
        foreach (IReadOnlyList<int>[] groups in new IReadOnlyList<int>[][] { [[], []], [[0], [1]] })
        {
            var space = TemplateSpace.Fit(x, 3, groups, standardize: true, whiten: true);
            Assert.IsTrue(space.Whitened);
            Assert.AreEqual(TemplateDistance.Euclidean, TemplateSpace.DistanceFor(space.Whitened));
            var (mean, std) = space.Scale;
            var z = space.Map(x.AsSpan(0, 3));
            for (var k = 0; k < 3; k++) Assert.AreEqual((x[k] - mean[k]) / std[k], z[k], 1e-6);
        }
    }
}
