namespace UlcAg.Inference.Video;

/// <summary>A video file that is missing or cannot be decoded; the message names the file and what can be read.</summary>
public sealed class VideoDecodeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The video file.</param>
    /// <param name="reason">What is wrong, without the path (it may end with a second line on what can be read).</param>
    public VideoDecodeException(string path, string reason)
        : base($"{path}: {reason}")
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The video file.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Reason { get; }
}
