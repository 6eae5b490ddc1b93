using System.Globalization;
using OpenCvSharp;

namespace UlcAg.Inference.Video;

/// <summary>
/// A video file opened with OpenCV's FFmpeg backend, its first frame already decoded (so a file that
/// opens but does not decode fails here, with a message, rather than yielding nothing).
/// </summary>
public sealed class VideoSource : IDisposable
{
    private readonly VideoCapture _capture;
    private Mat? _first;

    private VideoSource(string path, VideoCapture capture, Mat first)
    {
        Path = path;
        _capture = capture;
        _first = first;
        Width = first.Cols;
        Height = first.Rows;
        Fps = capture.Fps;
        FrameCount = Math.Max(0, capture.FrameCount);
        var fourcc = (int)capture.Get(VideoCaptureProperties.FourCC);
        Codec = fourcc == 0 ? "" : string.Concat(Enumerable.Range(0, 4).Select(i => (char)((fourcc >> (8 * i)) & 0xFF))).Trim('\0', ' ');
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Frame width in pixels.</summary>
    public int Width { get; }

    /// <summary>Frame height in pixels.</summary>
    public int Height { get; }

    /// <summary>Frames per second as the container states it.</summary>
    public double Fps { get; }

    /// <summary>Frames as the container states it (an estimate for some formats; 0 when unknown).</summary>
    public int FrameCount { get; }

    /// <summary>The codec's four-character code, e.g. <c>avc1</c>, <c>mp4v</c>, <c>MJPG</c> (empty when unknown).</summary>
    public string Codec { get; }

    /// <summary>Opens <paramref name="path"/> and decodes its first frame.</summary>
    /// <exception cref="VideoDecodeException">The file is missing, empty, not a video, or not decodable here.</exception>
    public static VideoSource Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new VideoDecodeException(path, "is a folder, not a video file");
        }

        if (!File.Exists(path))
        {
            throw new VideoDecodeException(path, "the file does not exist");
        }

        if (new FileInfo(path).Length == 0)
        {
            throw new VideoDecodeException(path, "the file is empty");
        }

        var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        var first = new Mat();
        try
        {
            if (!capture.IsOpened() || !capture.Read(first) || first.Empty())
            {
                throw new VideoDecodeException(path, $"not a video this build can decode.{Environment.NewLine}It decodes {VideoFormats.Readable}.");
            }

            if (!(capture.Fps > 0) || double.IsInfinity(capture.Fps))
            {
                throw new VideoDecodeException(path, string.Create(CultureInfo.InvariantCulture, $"the video states no frame rate ({capture.Fps}), so frame times cannot be given"));
            }

            return new VideoSource(path, capture, first);
        }
        catch
        {
            first.Dispose();
            capture.Dispose();
            throw;
        }
    }

    /// <summary>Decodes the next frame into <paramref name="frame"/>; false at the end of the video.</summary>
    public bool Read(Mat frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_first is { } first)
        {
            first.CopyTo(frame);
            first.Dispose();
            _first = null;
            return true;
        }

        return _capture.Read(frame) && !frame.Empty();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _first?.Dispose();
        _capture.Dispose();
    }
}
