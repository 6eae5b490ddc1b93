namespace UlcAg.Training.Correction;

/// <summary>
/// The space the robust policy's templates live in: each AU score standardized over the training set,
/// then, when whitening, decorrelated by the trusted samples' pooled within-class covariance
/// (<c>w = L^-1 z</c> with <c>L L^T</c> that covariance, shrunk towards its mean variance). In the whitened
/// space the nearest template under the Euclidean distance is (regularized) linear discriminant analysis
/// with equal class priors: AU scores that vary together within a class (an AU branch's correlated errors,
/// AUs a face shows in varying strength together) count once, not once per AU, and a noisy AU score
/// weighs less than a reliable one. Cosine templates of standardized scores
/// (eq. 9 with standardizing) are what a non-whitening space gives.
/// </summary>
public sealed class TemplateSpace
{
    /// <summary>Weight of the mean variance in the shrunk covariance: keeps it well conditioned when few samples are trusted.</summary>
    public const double Shrinkage = 0.1;

    private readonly float[] _mean;
    private readonly float[] _std;
    // Lower-triangular Cholesky factor [m, m] of the shrunk covariance, or null when not whitening.
    private readonly double[]? _cholesky;

    private TemplateSpace(float[] mean, float[] std, double[]? cholesky) => (_mean, _std, _cholesky) = (mean, std, cholesky);

    /// <summary>Width of the vectors mapped.</summary>
    public int Size => _mean.Length;

    /// <summary>Whether the space is whitened (templates compared by Euclidean distance) or only scaled (by cosine).</summary>
    public bool Whitened => _cholesky is not null;

    /// <summary>The per-AU mean and standard deviation the space subtracts and divides by.</summary>
    public (float[] Mean, float[] Std) Scale => (_mean, _std);

    /// <summary>The identity on <paramref name="size"/> values (no standardizing, no whitening).</summary>
    public static TemplateSpace Identity(int size) => new(new float[size], Enumerable.Repeat(1f, size).ToArray(), null);

    /// <summary>Standardizing by the given per-AU mean and standard deviation, no whitening.</summary>
    public static TemplateSpace Scaled(float[] mean, float[] std) =>
        mean.Length == std.Length ? new(mean, std, null) : throw new ArgumentException($"{mean.Length} means for {std.Length} standard deviations");

    /// <summary>
    /// Fits the space to <paramref name="x"/> [N, m]: the scale over every row when <paramref name="standardize"/>,
    /// the whitening over the rows of <paramref name="groups"/> (per class) when <paramref name="whiten"/>.
    /// </summary>
    public static TemplateSpace Fit(float[] x, int m, IReadOnlyList<IReadOnlyList<int>> groups, bool standardize, bool whiten)
    {
        var n = m == 0 ? 0 : x.Length / m;
        var (mean, std) = standardize ? ColumnScale(x, n, m) : (new float[m], Enumerable.Repeat(1f, m).ToArray());
        var scaled = new TemplateSpace(mean, std, null);
        if (!whiten || m == 0) return scaled;
        // Rounded to float once here, so that a checkpoint (floats) restores the very same mapping. Without a
        // within-class spread (no class with two trusted rows) the identity factor keeps the space standardized
        // and its distance Euclidean.
        var factor = scaled.WithinClassCovariance(x, groups) is { } covariance ? Cholesky(covariance, m) : IdentityMatrix(m);
        return new TemplateSpace(mean, std, [.. factor.Select(v => (double)(float)v)]);
    }

    /// <summary>One vector into the space.</summary>
    public float[] Map(ReadOnlySpan<float> s)
    {
        var m = Size;
        var z = new double[m];
        for (var k = 0; k < m; k++) z[k] = (s[k] - _mean[k]) / _std[k];
        if (_cholesky is { } l)
        {
            // Forward substitution: w = L^-1 z.
            for (var r = 0; r < m; r++)
            {
                var v = z[r];
                for (var k = 0; k < r; k++) v -= l[r * m + k] * z[k];
                z[r] = v / l[r * m + r];
            }
        }
        return [.. z.Select(v => (float)v)];
    }

    /// <summary>Every row of <paramref name="x"/> [N, Size] into the space.</summary>
    public float[] MapRows(float[] x)
    {
        var m = Size;
        var mapped = new float[x.Length];
        for (var i = 0; m > 0 && i < x.Length / m; i++) Map(x.AsSpan(i * m, m)).CopyTo(mapped, i * m);
        return mapped;
    }

    /// <summary>The distance templates in this space are compared by: Euclidean when whitened, else eq. 9's cosine.</summary>
    public static TemplateDistance DistanceFor(bool whiten) => whiten ? TemplateDistance.Euclidean : TemplateDistance.Cosine;

    /// <summary>Templates (eq. 8 without alpha): per class, the mean of its group's mapped rows; null for an empty group.</summary>
    public float[]?[] ClassMeans(float[] mapped, IReadOnlyList<IReadOnlyList<int>> groups)
    {
        var m = Size;
        var snapshot = new float[groups.Count][];
        for (var c = 0; c < groups.Count; c++)
        {
            if (groups[c].Count == 0) continue;
            var t = new float[m];
            foreach (var i in groups[c])
            {
                for (var k = 0; k < m; k++) t[k] += mapped[i * m + k];
            }
            for (var k = 0; k < m; k++) t[k] /= groups[c].Count;
            snapshot[c] = t;
        }
        return snapshot;
    }

    /// <summary>For checkpoints: the mean, the standard deviation, then the Cholesky factor when whitening.</summary>
    public float[] Snapshot() => [.. _mean, .. _std, .. (_cholesky ?? []).Select(v => (float)v)];

    /// <summary>The space <see cref="Snapshot"/> wrote, for vectors of width <paramref name="size"/>.</summary>
    public static TemplateSpace Restore(float[] snapshot, int size)
    {
        if (snapshot.Length != 2 * size && snapshot.Length != 2 * size + size * size)
            throw new ArgumentException($"a template space of width {size} has {2 * size} or {2 * size + size * size} values, not {snapshot.Length}");
        var cholesky = snapshot.Length > 2 * size ? snapshot[(2 * size)..].Select(v => (double)v).ToArray() : null;
        return new TemplateSpace(snapshot[..size], snapshot[size..(2 * size)], cholesky);
    }

    private static double[] IdentityMatrix(int m)
    {
        var a = new double[m * m];
        for (var k = 0; k < m; k++) a[k * m + k] = 1;
        return a;
    }

    /// <summary>The pooled within-class covariance of the groups' scaled rows, shrunk; null when the rows do not vary within their classes.</summary>
    private double[]? WithinClassCovariance(float[] x, IReadOnlyList<IReadOnlyList<int>> groups)
    {
        var m = Size;
        var covariance = new double[m * m];
        var rows = 0;
        foreach (var group in groups.Where(g => g.Count > 0))
        {
            var z = group.Select(i => Map(x.AsSpan(i * m, m))).ToList();
            var mu = new double[m];
            foreach (var v in z)
            {
                for (var k = 0; k < m; k++) mu[k] += v[k] / z.Count;
            }
            foreach (var v in z)
            {
                for (var a = 0; a < m; a++)
                {
                    for (var b = 0; b <= a; b++) covariance[a * m + b] += (v[a] - mu[a]) * (v[b] - mu[b]);
                }
            }
            rows += z.Count;
        }
        var meanVariance = 0.0;
        for (var k = 0; k < m; k++) meanVariance += rows == 0 ? 0 : covariance[k * m + k] / rows / m;
        if (meanVariance <= 0) return null;
        for (var a = 0; a < m; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                var v = (1 - Shrinkage) * covariance[a * m + b] / rows + (a == b ? Shrinkage * meanVariance + 1e-9 : 0);
                covariance[a * m + b] = covariance[b * m + a] = v;
            }
        }
        return covariance;
    }

    /// <summary>The lower-triangular L with L L^T = <paramref name="a"/> (symmetric positive definite, [m, m]).</summary>
    internal static double[] Cholesky(double[] a, int m)
    {
        var l = new double[m * m];
        for (var r = 0; r < m; r++)
        {
            for (var c = 0; c <= r; c++)
            {
                var v = a[r * m + c];
                for (var k = 0; k < c; k++) v -= l[r * m + k] * l[c * m + k];
                l[r * m + c] = r == c ? Math.Sqrt(Math.Max(v, 1e-12)) : v / l[c * m + c];
            }
        }
        return l;
    }

    /// <summary>Per column of <paramref name="x"/> [n, m]: the mean and the standard deviation (at least 1e-6).</summary>
    internal static (float[] Mean, float[] Std) ColumnScale(float[] x, int n, int m, Func<int, bool>? include = null)
    {
        var mean = new float[m];
        var std = new float[m];
        var rows = Enumerable.Range(0, n).Where(include ?? (_ => true)).ToList();
        for (var k = 0; k < m; k++)
        {
            double sum = 0, sq = 0;
            foreach (var i in rows) sum += x[i * m + k];
            var mu = rows.Count == 0 ? 0 : sum / rows.Count;
            foreach (var i in rows) sq += (x[i * m + k] - mu) * (x[i * m + k] - mu);
            mean[k] = (float)mu;
            std[k] = (float)Math.Max(Math.Sqrt(sq / Math.Max(rows.Count, 1)), 1e-6);
        }
        return (mean, std);
    }
}
