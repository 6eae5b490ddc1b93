namespace UlcAg.Data.Faces;

/// <summary>
/// An image could not be read or decoded. The message names the file (or the sample whose raw
/// pixels are malformed) and what was expected.
/// </summary>
public sealed class ImageDecodeException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> (a file path or a sample description).</summary>
    public ImageDecodeException(string source, string reason, Exception? inner = null)
        : base($"Cannot read image '{source}': {reason}", inner)
    {
        Source = source;
        Reason = reason;
    }

    /// <summary>The file path, or a description of the in-memory pixels, that failed.</summary>
    public new string Source { get; }

    /// <summary>What went wrong, without the file name.</summary>
    public string Reason { get; }
}
