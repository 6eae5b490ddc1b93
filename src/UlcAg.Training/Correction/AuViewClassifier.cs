namespace UlcAg.Training.Correction;

/// <summary>
/// The AU view of the robust policy: a softmax regression from a sample's AU evidence (standardized
/// AU scores of the AU branch and/or the sample's AU labels) to the expression classes, fitted on
/// trusted samples. It plays the part of eq. 8-9's templates (a nearest template under cosine is a
/// linear classifier whose weights are the class means), with the weights fitted instead of
/// averaged: cosine templates name the true class of 67-72% of the synthetic training faces, this
/// view 77-82% (docs/RESULTS.md).
/// <para>
/// Full-batch gradient descent on the L2-regularized cross-entropy, which is convex, warm-started from the
/// previous fit; hand-written because the problem is tiny (features x classes weights) and a
/// dependency for it would outweigh it.
/// </para>
/// </summary>
public sealed class AuViewClassifier(int features, int classes)
{
    private const double LearningRate = 0.5, L2 = 1e-3;
    private const int FirstFitIterations = 300, WarmFitIterations = 100;

    // [classes, features + 1]: the last column is the bias.
    // float, so that a checkpoint holds the weights exactly and a resumed run fits as a straight one does.
    private readonly float[] _w = new float[classes * (features + 1)];
    private bool _fitted;

    public int Features { get; } = features;
    public int Classes { get; } = classes;

    /// <summary>
    /// Fits the weights to the rows <paramref name="rows"/> of <paramref name="x"/> [N, Features] with labels
    /// <paramref name="labels"/>; returns the final mean cross-entropy.
    /// </summary>
    public double Fit(ReadOnlySpan<float> x, IReadOnlyList<int> labels, IReadOnlyList<int> rows)
    {
        int f = Features + 1, iterations = _fitted ? WarmFitIterations : FirstFitIterations;
        var gradient = new double[_w.Length];
        var p = new double[Classes];
        var loss = 0.0;
        for (var it = 0; it < iterations; it++)
        {
            Array.Clear(gradient);
            loss = 0;
            foreach (var i in rows)
            {
                var row = x.Slice(i * Features, Features);
                Probabilities(row, p);
                loss -= Math.Log(Math.Max(p[labels[i]], 1e-12));
                p[labels[i]] -= 1;
                for (var c = 0; c < Classes; c++)
                {
                    var g = p[c];
                    var gc = gradient.AsSpan(c * f, f);
                    for (var k = 0; k < Features; k++) gc[k] += g * row[k];
                    gc[Features] += g;
                }
            }
            for (var k = 0; k < _w.Length; k++) _w[k] = (float)(_w[k] - LearningRate * (gradient[k] / rows.Count + L2 * _w[k]));
        }
        _fitted = true;
        return loss / rows.Count;
    }

    /// <summary>Class probabilities of one feature row.</summary>
    public void Probabilities(ReadOnlySpan<float> row, Span<double> p)
    {
        var f = Features + 1;
        var max = double.MinValue;
        for (var c = 0; c < Classes; c++)
        {
            var w = _w.AsSpan(c * f, f);
            double z = w[Features];
            for (var k = 0; k < Features; k++) z += w[k] * row[k];
            p[c] = z;
            max = Math.Max(max, z);
        }
        var sum = 0.0;
        for (var c = 0; c < Classes; c++) sum += p[c] = Math.Exp(p[c] - max);
        for (var c = 0; c < Classes; c++) p[c] /= sum;
    }

    /// <summary>The weights, for checkpoints (the fit warm-starts from them).</summary>
    public float[] Snapshot() => [_fitted ? 1 : 0, .. _w];

    public void Restore(float[] snapshot)
    {
        if (snapshot.Length != 1 + _w.Length) throw new ArgumentException($"AU view of {snapshot.Length} values, expected {1 + _w.Length}");
        _fitted = snapshot[0] != 0;
        snapshot.AsSpan(1).CopyTo(_w);
    }
}
