namespace UlcAg.Training.Config;

/// <summary>The geometric training augmentation.</summary>
public enum AugmentCrop
{
    /// <summary>A random resized crop (area fraction from <see cref="AugmentationOptions.Scale"/>).</summary>
    Resized,

    /// <summary>Pad by a few pixels and take a random full-size window.</summary>
    Pad,

    /// <summary>No crop.</summary>
    None,
}
