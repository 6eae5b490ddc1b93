namespace UlcAg.Data.Loading;

/// <summary>
/// Training augmentation as commonly used for facial expression recognition, applied to each
/// training image every epoch (never to test images): a random resized crop (or pad-and-crop), a
/// horizontal flip, and random erasing of one rectangle, each switchable. Output size equals the
/// cache's image size. Erasing follows Zhong et al. (2020) as in torchvision's RandomErasing.
/// The training configuration's section <c>augment</c> binds to this record.
/// </summary>
public sealed record AugmentOptions
{
    /// <summary>No augmentation at all.</summary>
    public static AugmentOptions None { get; } = new() { Crop = CropMode.None, Flip = false, Erase = 0 };

    /// <summary>YAML <c>crop</c>: the geometric augmentation.</summary>
    public CropMode Crop { get; init; } = CropMode.Resized;

    /// <summary>YAML <c>scale</c>: <c>[min, max]</c> area fraction of a random resized crop, 0 &lt; min &lt;= max &lt;= 1.</summary>
    public IReadOnlyList<double> Scale { get; init; } = [0.8, 1.0];

    /// <summary>YAML <c>flip</c>: flip horizontally with probability 0.5.</summary>
    public bool Flip { get; init; } = true;

    /// <summary>YAML <c>erase</c>: probability of random erasing of one rectangle, 0..1.</summary>
    public double Erase { get; init; } = 0.25;

    /// <summary>Checks every setting (keys as in YAML).</summary>
    public void Check(OptionCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (check.Require(Scale.Count == 2, "scale", $"has {Scale.Count} value(s); expected two numbers [min, max]"))
        {
            check.Between("scale[0]", Scale[0], 0, 1, minOpen: true);
            check.Between("scale[1]", Scale[1], 0, 1, minOpen: true);
            check.Require(!(Scale[0] > Scale[1]), "scale", $"min {Scale[0]} is larger than max {Scale[1]}; expected min <= max");
        }

        check.Between("erase", Erase, 0, 1);
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate() => OptionCheck.ThrowIfInvalid(Check, (key, text) => new ArgumentOutOfRangeException(key, $"Augment option {key} {text}."));
}
