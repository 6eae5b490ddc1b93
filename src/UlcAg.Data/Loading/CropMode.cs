namespace UlcAg.Data.Loading;

/// <summary>The geometric augmentation applied before flipping and erasing.</summary>
public enum CropMode
{
    /// <summary>No crop: the cached image as is.</summary>
    None,

    /// <summary>A random sub-rectangle (area fraction and aspect ratio drawn from ranges) resized back to full size.</summary>
    RandomResizedCrop,

    /// <summary>Zero-pad by a few pixels on each side, then take a random full-size window (a random shift).</summary>
    PadCrop,
}
