namespace UlcAg.Data.Loading;

/// <summary>
/// Training augmentation as commonly used for facial expression recognition: a random resized crop
/// (or pad-and-crop), a horizontal flip, and random erasing, each switchable. Output size equals the
/// cache's image size. Erasing follows Zhong et al. (2020) as in torchvision's RandomErasing.
/// </summary>
public sealed record AugmentOptions
{
    /// <summary>No augmentation at all.</summary>
    public static AugmentOptions None { get; } = new() { Crop = CropMode.None, FlipProbability = 0, EraseProbability = 0 };

    /// <summary>Geometric crop.</summary>
    public CropMode Crop { get; init; } = CropMode.RandomResizedCrop;

    /// <summary>Random resized crop: smallest crop area as a fraction of the image area.</summary>
    public double CropScaleMin { get; init; } = 0.8;

    /// <summary>Random resized crop: largest crop area fraction.</summary>
    public double CropScaleMax { get; init; } = 1.0;

    /// <summary>Random resized crop: smallest width/height ratio (drawn log-uniformly).</summary>
    public double CropRatioMin { get; init; } = 3.0 / 4.0;

    /// <summary>Random resized crop: largest width/height ratio.</summary>
    public double CropRatioMax { get; init; } = 4.0 / 3.0;

    /// <summary>Pad crop: padding on each side in pixels (the shift is uniform in [-padding, padding]).</summary>
    public int CropPadding { get; init; } = 8;

    /// <summary>Probability of a horizontal flip.</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>Probability of erasing one rectangle.</summary>
    public double EraseProbability { get; init; } = 0.5;

    /// <summary>Smallest erased area as a fraction of the image area.</summary>
    public double EraseAreaMin { get; init; } = 0.02;

    /// <summary>Largest erased area fraction.</summary>
    public double EraseAreaMax { get; init; } = 0.25;

    /// <summary>Smallest erased height/width ratio (drawn log-uniformly).</summary>
    public double EraseRatioMin { get; init; } = 0.3;

    /// <summary>Largest erased height/width ratio.</summary>
    public double EraseRatioMax { get; init; } = 3.3;

    /// <summary>Fill erased pixels with uniform random bytes instead of <see cref="EraseColor"/>.</summary>
    public bool EraseRandomFill { get; init; }

    /// <summary>
    /// RGB fill of erased pixels. The default is the ImageNet mean, which becomes 0 after the
    /// in-graph normalization: the same as erasing a normalized tensor with 0.
    /// </summary>
    public (byte R, byte G, byte B) EraseColor { get; init; } = (124, 116, 104);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Range(nameof(CropScaleMin), CropScaleMin, CropScaleMax, 0, 1, exclusiveLow: true);
        Range(nameof(CropRatioMin), CropRatioMin, CropRatioMax, 0, double.MaxValue, exclusiveLow: true);
        Range(nameof(EraseAreaMin), EraseAreaMin, EraseAreaMax, 0, 1, exclusiveLow: true);
        Range(nameof(EraseRatioMin), EraseRatioMin, EraseRatioMax, 0, double.MaxValue, exclusiveLow: true);
        Probability(nameof(FlipProbability), FlipProbability);
        Probability(nameof(EraseProbability), EraseProbability);
        if (CropPadding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CropPadding), CropPadding, "must be zero or positive");
        }
    }

    private static void Probability(string name, double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(name, p, "a probability must lie in [0, 1]");
        }
    }

    private static void Range(string name, double min, double max, double low, double high, bool exclusiveLow)
    {
        var lowOk = exclusiveLow ? min > low : min >= low;
        if (!lowOk || !(max >= min) || max > high)
        {
            throw new ArgumentOutOfRangeException(name, $"[{min}, {max}]", $"need {low} {(exclusiveLow ? "<" : "<=")} min <= max <= {high}");
        }
    }
}
