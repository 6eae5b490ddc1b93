namespace UlcAg.Inference.Video;

/// <summary>
/// What OpenCvSharp's linux-x64 runtime (OpenCV 4.13 with FFmpeg 7.1 built in) reads and writes.
/// Its FFmpeg has software decoders for H.264, H.265/HEVC, MPEG-4 Part 2, MPEG-1/2, Motion JPEG,
/// VP8 and VP9 (AV1 only through hardware it does not find), and software encoders for MPEG-4 Part 2
/// and Motion JPEG among others, but none for H.264.
/// </summary>
public static class VideoFormats
{
    /// <summary>Extensions taken as videos rather than images.</summary>
    public static IReadOnlySet<string> InputExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".ts", ".wmv", ".flv", ".3gp",
    };

    /// <summary>Output extensions of an annotated video, each with the codec it is written in.</summary>
    public static IReadOnlyDictionary<string, string> OutputCodecs { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        // No software H.264 encoder in the runtime: MPEG-4 Part 2 is what an .mp4 can hold and every player plays.
        [".mp4"] = "mp4v",
        [".m4v"] = "mp4v",
        [".mov"] = "mp4v",
        // Motion JPEG, which OpenCV also writes without FFmpeg.
        [".avi"] = "MJPG",
        [".mkv"] = "MJPG",
    };

    /// <summary>What the runtime decodes, for messages about files it cannot read.</summary>
    public const string Readable =
        "H.264, H.265/HEVC, MPEG-4 Part 2, MPEG-1/2, Motion JPEG, VP8 and VP9 video (not AV1) in MP4/MOV, AVI, " +
        "Matroska/WebM, MPEG-PS/TS, FLV, WMV or 3GP files";

    /// <summary>True when <paramref name="path"/>'s extension names a video container.</summary>
    public static bool IsVideo(string path) => InputExtensions.Contains(Path.GetExtension(path));
}
