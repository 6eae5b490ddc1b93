using UlcAg.Data.Synthetic;

namespace UlcAg.Training.Config;

/// <summary>
/// YAML section <c>data.synthetic</c>: the generated FACS face dataset (format <c>synthetic</c>), whose
/// true labels and AUs are known, so injected label noise and relabeling can be measured exactly.
/// Images are rendered at <see cref="DataOptions.InputSize"/>.
/// </summary>
public sealed record SyntheticOptions
{
    /// <summary>YAML <c>train</c>: number of training images.</summary>
    public int Train { get; init; } = 3000;

    /// <summary>YAML <c>test</c>: number of test images.</summary>
    public int Test { get; init; } = 750;

    /// <summary>YAML <c>difficulty</c>: scales pose, lighting, occlusion, blur and expression ambiguity, 0..3.</summary>
    public double Difficulty { get; init; } = 1.0;

    /// <summary>YAML <c>au_error_rate</c>: the simulated AU detector's error rate (wrong AU pseudo-labels), 0..0.5.</summary>
    public double AuErrorRate { get; init; } = 0.1;

    /// <summary>YAML <c>ambiguous_fraction</c>: the fraction of faces that blend two expressions (at difficulty 1), 0..1.</summary>
    public double AmbiguousFraction { get; init; } = 0.08;

    /// <summary>YAML <c>seed</c>: the generator's seed; null uses the run's seed.</summary>
    public int? Seed { get; init; }

    /// <summary>The generator's options.</summary>
    /// <param name="imageSize">Rendered image side (<see cref="DataOptions.InputSize"/>).</param>
    /// <param name="runSeed">The run's seed, used when <see cref="Seed"/> is null.</param>
    public SyntheticFaceOptions ToSyntheticFaceOptions(int imageSize, int runSeed) => new()
    {
        ImageSize = imageSize,
        TrainSize = Train,
        TestSize = Test,
        Difficulty = Difficulty,
        PseudoLabelErrorRate = AuErrorRate,
        AmbiguousFraction = AmbiguousFraction,
        Seed = Seed ?? runSeed,
    };

    internal void Check(ConfigChecker check)
    {
        check.Between("train", Train, 7, 10_000_000);
        check.Between("test", Test, 7, 10_000_000);
        check.Between("difficulty", Difficulty, 0, 3);
        check.Between("au_error_rate", AuErrorRate, 0, 0.5);
        check.Between("ambiguous_fraction", AmbiguousFraction, 0, 1);
        if (Seed is { } seed)
        {
            check.AtLeast("seed", seed, 0);
        }
    }
}
