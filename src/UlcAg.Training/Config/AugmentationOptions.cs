using UlcAg.Data.Loading;

namespace UlcAg.Training.Config;

/// <summary>YAML section <c>augment</c>: random changes applied to each training image every epoch (never to test images).</summary>
public sealed record AugmentationOptions
{
    /// <summary>YAML <c>crop</c>: the geometric augmentation.</summary>
    public AugmentCrop Crop { get; init; } = AugmentCrop.Resized;

    /// <summary>YAML <c>scale</c>: <c>[min, max]</c> area fraction of a random resized crop, 0 &lt; min &lt;= max &lt;= 1.</summary>
    public IReadOnlyList<double> Scale { get; init; } = [0.8, 1.0];

    /// <summary>YAML <c>flip</c>: flip horizontally with probability 0.5.</summary>
    public bool Flip { get; init; } = true;

    /// <summary>YAML <c>erase</c>: probability of random erasing of one rectangle, 0..1.</summary>
    public double Erase { get; init; } = 0.25;

    /// <summary>The UlcAg.Data loader's augmentation options.</summary>
    public AugmentOptions ToAugmentOptions() => new()
    {
        Crop = Crop switch
        {
            AugmentCrop.Resized => CropMode.RandomResizedCrop,
            AugmentCrop.Pad => CropMode.PadCrop,
            _ => CropMode.None,
        },
        CropScaleMin = Scale[0],
        CropScaleMax = Scale[1],
        FlipProbability = Flip ? 0.5 : 0,
        EraseProbability = Erase,
    };

    internal void Check(ConfigChecker check)
    {
        if (check.Require(Scale.Count == 2, "scale", $"has {Scale.Count} value(s); expected two numbers [min, max]"))
        {
            check.Between("scale[0]", Scale[0], 0, 1, minOpen: true);
            check.Between("scale[1]", Scale[1], 0, 1, minOpen: true);
            check.Require(!(Scale[0] > Scale[1]), "scale", $"min {Scale[0]} is larger than max {Scale[1]}; expected min <= max");
        }

        check.Between("erase", Erase, 0, 1);
    }
}
