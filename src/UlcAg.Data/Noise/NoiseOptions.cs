using System.Globalization;
using System.Runtime.Serialization;

namespace UlcAg.Data.Noise;

/// <summary>
/// Wrong training labels injected on purpose (paper Table III: 10, 20 and 30 percent), either drawn
/// by <see cref="LabelNoise"/> or read from a published noisy label list (<see cref="NoisyLabelList"/>).
/// Only the training split's labels change; the test split stays clean. The training configuration's
/// section <c>data.noise</c> binds to this record.
/// </summary>
public sealed record NoiseOptions
{
    /// <summary>YAML <c>rate</c>: the fraction of training samples whose label is changed, 0..1: exactly round(Rate * N) samples (halves round away from zero).</summary>
    public double Rate { get; init; }

    /// <summary>YAML <c>kind</c>: a random other class (symmetric), a fixed other class per class (pairwise), or the class a face's AUs are most confusable with (confusable, instance-dependent).</summary>
    public NoiseKind Kind { get; init; } = NoiseKind.Symmetric;

    /// <summary>YAML <c>list</c>: a noisy label list in RAF-DB format (<c>train_00001.jpg 5</c>) whose labels replace the dataset's; excludes <see cref="Rate"/> &gt; 0.</summary>
    public string? List { get; init; }

    /// <summary>YAML <c>seed</c>: the seed that picks the flipped samples (and symmetric targets); null uses the run's seed.</summary>
    public int? Seed { get; init; }

    /// <summary>Pairwise: the class each class flips to (index -> index); null for c -> c + 1 (mod K). Not configured.</summary>
    [IgnoreDataMember]
    public IReadOnlyList<int>? PairMap { get; init; }

    /// <summary>Checks every setting (keys as in YAML).</summary>
    public void Check(OptionCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.Between("rate", Rate, 0, 1);
        if (List is not null)
        {
            check.Require(Rate == 0, "list", $"is set together with data.noise.rate {Rate.ToString(CultureInfo.InvariantCulture)}; expected one of the two (set data.noise.rate to 0 to use the list)", relatedKey: "rate");
            check.FileExists("list", List, "the noisy label list");
        }

        if (Seed is { } seed)
        {
            check.AtLeast("seed", seed, 0);
        }
    }
}
