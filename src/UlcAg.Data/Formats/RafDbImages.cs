namespace UlcAg.Data.Formats;

/// <summary>Which RAF-DB images a sample points at.</summary>
public enum RafDbImages
{
    /// <summary><c>Image/aligned/train_00001_aligned.jpg</c>: aligned faces; the box is the whole image.</summary>
    Aligned,

    /// <summary><c>Image/original/train_00001.jpg</c>: the original photos; no box, a later stage detects the face.</summary>
    Original,
}
