namespace UlcAg.Data.Cache;

/// <summary>What the cache build does with a sample whose image cannot be decoded.</summary>
public enum DecodeErrorPolicy
{
    /// <summary>Stop the build with an <see cref="Faces.ImageDecodeException"/> naming the file.</summary>
    Fail,

    /// <summary>Leave the sample out, count it and record why; the cache lists which sample indices it holds.</summary>
    Skip,
}
