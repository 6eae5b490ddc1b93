using UlcAg.Data.Noise;

namespace UlcAg.Training.Config;

/// <summary>
/// YAML section <c>data.noise</c>: wrong training labels injected on purpose (paper Table III: 10, 20 and
/// 30 percent), either drawn here or read from a published noisy label list. Only the training split's
/// labels change; the test split stays clean.
/// </summary>
public sealed record LabelNoiseOptions
{
    /// <summary>YAML <c>rate</c>: the fraction of training samples whose label is changed, 0..1.</summary>
    public double Rate { get; init; }

    /// <summary>YAML <c>kind</c>: a random other class (symmetric) or a fixed other class per class (pairwise).</summary>
    public NoiseKind Kind { get; init; } = NoiseKind.Symmetric;

    /// <summary>YAML <c>list</c>: a noisy label list in RAF-DB format (<c>train_00001.jpg 5</c>) whose labels replace the dataset's; excludes <see cref="Rate"/> &gt; 0.</summary>
    public string? List { get; init; }

    /// <summary>YAML <c>seed</c>: the seed that picks the flipped samples; null uses the run's seed.</summary>
    public int? Seed { get; init; }

    /// <summary>The UlcAg.Data noise options, or null when no noise is drawn (<see cref="Rate"/> is 0).</summary>
    /// <param name="runSeed">The run's seed, used when <see cref="Seed"/> is null.</param>
    public NoiseOptions? ToNoiseOptions(int runSeed) => Rate > 0
        ? new NoiseOptions { Rate = Rate, Kind = Kind, Seed = Seed ?? runSeed }
        : null;

    internal void Check(ConfigChecker check)
    {
        check.Between("rate", Rate, 0, 1);
        if (List is not null)
        {
            check.Require(Rate == 0, "list", $"is set together with data.noise.rate {Rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}; expected one of the two (set data.noise.rate to 0 to use the list)", relatedKey: "rate");
            check.FileExists("list", List, "the noisy label list");
        }

        if (Seed is { } seed)
        {
            check.AtLeast("seed", seed, 0);
        }
    }
}
