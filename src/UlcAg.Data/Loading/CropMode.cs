namespace UlcAg.Data.Loading;

/// <summary>The geometric augmentation applied before flipping and erasing.</summary>
public enum CropMode
{
    /// <summary>A random sub-rectangle (area fraction from <see cref="AugmentOptions.Scale"/>, aspect ratio 3/4..4/3) resized back to full size.</summary>
    Resized,

    /// <summary>Zero-pad by a few pixels on each side, then take a random full-size window (a random shift).</summary>
    Pad,

    /// <summary>No crop: the cached image as is.</summary>
    None,
}
