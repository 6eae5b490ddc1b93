namespace UlcAg.Data.Noise;

/// <summary>
/// Which class each face of a split is most easily confused with, judged by its AUs, and how
/// ambiguous it is: the basis of <see cref="NoiseKind.Confusable"/>. Each class's prototype is the mean
/// AU vector of its samples; a face's confusable class is the nearest other prototype (squared
/// Euclidean distance), and its margin is how much farther that prototype is than its own class's
/// (negative when the face sits closer to another class than to its own). A face's AUs are those it
/// shows where known (synthetic faces), else its AU labels.
/// </summary>
public sealed class AuConfusion
{
    private AuConfusion(int[] target, double[] margin) => (Target, Margin) = (target, margin);

    /// <summary>Per sample, the class its AUs most resemble after its own.</summary>
    public IReadOnlyList<int> Target { get; }

    /// <summary>Per sample, distance to the confusable class's prototype minus distance to its own.</summary>
    public IReadOnlyList<double> Margin { get; }

    /// <exception cref="ArgumentException">A sample has no AUs, or fewer than two classes have samples.</exception>
    public static AuConfusion Of(DatasetSplit split)
    {
        var samples = split.Samples;
        var missing = samples.Count(s => (s.RenderedAus ?? s.Aus) is null);
        if (missing > 0)
            throw new ArgumentException($"Confusable label noise judges each face by its AUs, but {missing} of {samples.Count} samples of split '{split.Split}' have none; give AU labels (data.au.path) or choose data.noise.kind symmetric or pairwise.", nameof(split));
        var classes = split.ClassNames.Count;
        var width = samples.Count > 0 ? (samples[0].RenderedAus ?? samples[0].Aus)!.Length : 0;
        if (samples.FirstOrDefault(s => (s.RenderedAus ?? s.Aus)!.Length != width) is { } odd)
            throw new ArgumentException($"Confusable label noise compares AU vectors, but sample '{odd.Id}' of split '{split.Split}' has {(odd.RenderedAus ?? odd.Aus)!.Length} AUs where the first has {width}.", nameof(split));
        var sums = new double[classes, width];
        var counts = new int[classes];
        foreach (var s in samples)
        {
            var aus = (s.RenderedAus ?? s.Aus)!;
            counts[s.Label]++;
            for (var k = 0; k < width; k++) sums[s.Label, k] += aus[k];
        }
        var present = Enumerable.Range(0, classes).Where(c => counts[c] > 0).ToArray();
        if (present.Length < 2)
            throw new ArgumentException($"Confusable label noise needs samples of at least two classes in split '{split.Split}'; it has {present.Length}.", nameof(split));

        var target = new int[samples.Count];
        var margin = new double[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            var aus = (samples[i].RenderedAus ?? samples[i].Aus)!;
            double Distance(int c)
            {
                var d = 0.0;
                for (var k = 0; k < width; k++) d += Math.Pow(aus[k] - sums[c, k] / counts[c], 2);
                return d;
            }
            var own = samples[i].Label;
            var (best, bestDistance) = (-1, double.PositiveInfinity);
            foreach (var c in present)
            {
                if (c == own) continue;
                var d = Distance(c);
                if (d < bestDistance) (best, bestDistance) = (c, d);
            }
            target[i] = best;
            margin[i] = bestDistance - Distance(own);
        }
        return new AuConfusion(target, margin);
    }

    /// <summary>
    /// <paramref name="count"/> distinct samples drawn without replacement, the most ambiguous the
    /// likeliest: ranked by margin (smallest first), rank r weighs exp(-2 r / count), so that about three
    /// quarters of the draws fall on the <paramref name="count"/> most ambiguous faces and the rest
    /// further down (Efraimidis-Spirakis keys ln(u) / weight, largest first).
    /// </summary>
    public int[] DrawConfusable(int count, Random random)
    {
        var n = Margin.Count;
        // Faces with equal margins (common with 0/1 AU labels) are ordered at random, not by position.
        var tieBreak = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var byAmbiguity = Enumerable.Range(0, n).OrderBy(i => Margin[i]).ThenBy(i => tieBreak[i]).ToArray();
        var keys = new double[n];
        for (var rank = 0; rank < n; rank++)
        {
            var u = 1.0 - random.NextDouble(); // in (0, 1]
            keys[byAmbiguity[rank]] = Math.Log(u) * Math.Exp(Math.Min(700, 2.0 * rank / Math.Max(1, count)));
        }
        return [.. Enumerable.Range(0, n).OrderByDescending(i => keys[i]).ThenBy(i => i).Take(count)];
    }
}
