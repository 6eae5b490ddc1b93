namespace UlcAg.Data.Noise;

/// <summary>
/// Injects synthetic label noise (the paper's "randomized 10%, 20%, 30% of the original labels",
/// Table III), so that a method's robustness can be measured against known clean labels.
/// </summary>
public static class LabelNoise
{
    /// <summary>
    /// Flips exactly round(rate * N) labels of <paramref name="split"/>, chosen by the seed. Every sample's
    /// clean label is kept in <see cref="Sample.CleanLabel"/> (an existing clean label is never overwritten,
    /// so noise can be stacked).
    /// </summary>
    /// <param name="split">The split whose labels are changed.</param>
    /// <param name="options">How many labels, which kind of noise, and the seed.</param>
    /// <param name="runSeed">The seed used when <see cref="NoiseOptions.Seed"/> is null.</param>
    /// <exception cref="ArgumentException">An invalid option (rate outside 0..1), fewer than two classes, or an invalid pair map.</exception>
    public static NoiseInjection Inject(DatasetSplit split, NoiseOptions options, int runSeed = 0)
    {
        var classCount = split.ClassNames.Count;
        OptionCheck.ThrowIfInvalid(options.Check, (key, text) => new ArgumentException($"Noise option {key} {text}.", nameof(options)));
        if (classCount < 2)
            throw new ArgumentException($"Split '{split.Split}' has {classCount} class; label noise needs at least two.", nameof(split));
        var pairs = options.Kind == NoiseKind.Pairwise ? CheckPairMap(options.PairMap ?? DefaultPairMap(classCount), split.ClassNames) : null;

        var n = split.Samples.Count;
        var flips = (int)Math.Round(options.Rate * n, MidpointRounding.AwayFromZero);
        var random = new Random(options.Seed ?? runSeed);
        var confusable = options.Kind == NoiseKind.Confusable && flips > 0 ? AuConfusion.Of(split) : null;
        var flipped = confusable is null ? UniformSubset(n, flips, random) : confusable.DrawConfusable(flips, random);
        Array.Sort(flipped);

        var samples = split.Samples.Select(s => s with { CleanLabel = s.CleanLabel ?? s.Label }).ToArray();
        foreach (var i in flipped)
        {
            var current = samples[i].Label;
            int noisy;
            if (pairs is not null)
                noisy = pairs[current];
            else if (confusable is not null)
                noisy = confusable.Target[i];
            else
            {
                noisy = random.Next(classCount - 1);
                if (noisy >= current)
                    noisy++;
            }
            samples[i] = samples[i] with { Label = noisy };
        }
        return new NoiseInjection(split with { Samples = samples }, flipped);
    }

    /// <summary>A uniform random subset of <paramref name="count"/> of 0..n-1 (partial Fisher-Yates).</summary>
    private static int[] UniformSubset(int n, int count, Random random)
    {
        var order = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, n);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order[..count];
    }

    /// <summary>The default pair map c -> c + 1 (mod K).</summary>
    public static int[] DefaultPairMap(int classCount) => [.. Enumerable.Range(0, classCount).Select(c => (c + 1) % classCount)];

    /// <summary>
    /// A pair map from class names ("Happiness" -> "Surprise"); classes not named flip to the next class.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not one of <paramref name="classNames"/>.</exception>
    public static int[] PairMapFromNames(IReadOnlyList<string> classNames, IReadOnlyDictionary<string, string> pairs)
    {
        var map = DefaultPairMap(classNames.Count);
        foreach (var (from, to) in pairs)
            map[IndexOf(classNames, from)] = IndexOf(classNames, to);
        return map;
    }

    private static int[] CheckPairMap(IReadOnlyList<int> map, IReadOnlyList<string> classNames)
    {
        if (map.Count != classNames.Count)
            throw new ArgumentException($"The pair map has {map.Count} entries; expected one per class ({classNames.Count}).", nameof(map));
        for (var c = 0; c < map.Count; c++)
        {
            if (map[c] < 0 || map[c] >= classNames.Count || map[c] == c)
                throw new ArgumentException($"The pair map sends class {c} ({classNames[c]}) to {map[c]}; expected another class 0..{classNames.Count - 1}.", nameof(map));
        }
        return [.. map];
    }

    private static int IndexOf(IReadOnlyList<string> classNames, string name)
    {
        for (var i = 0; i < classNames.Count; i++)
        {
            if (string.Equals(classNames[i], Formats.ExpressionNames.Normalize(name), StringComparison.OrdinalIgnoreCase))
                return i;
        }
        throw new ArgumentException($"'{name}' is not a class; expected one of: {string.Join(", ", classNames)}.", nameof(name));
    }
}
