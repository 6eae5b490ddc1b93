using OpenCvSharp;

namespace UlcAg.Inference.Video;

/// <summary>
/// Video to a timeline of expressions: decodes every frame, classifies every <see cref="Every"/>-th
/// one (frame 0, N, 2N, ...) through an <see cref="ExpressionRecognizer"/>, gives its faces track ids
/// with a <see cref="FaceTracker"/>, and optionally writes every frame, drawn with the faces of the
/// latest classified frame, to an annotated video. Not thread-safe.
/// </summary>
public sealed class VideoRecognizer
{
    /// <summary>Default <see cref="Every"/>: five classified frames per second of a 25 fps video.</summary>
    public const int DefaultEvery = 5;

    private readonly ExpressionRecognizer _recognizer;

    /// <summary>Creates the video recognizer.</summary>
    /// <param name="recognizer">Detects and classifies the faces of a frame; needs a face detector.</param>
    /// <param name="every">Classify every this many frames (1: every frame).</param>
    /// <param name="tracker">The tracker to use (default: a new <see cref="FaceTracker"/> with its defaults).</param>
    public VideoRecognizer(ExpressionRecognizer recognizer, int every = DefaultEvery, FaceTracker? tracker = null)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        if (!recognizer.Detects)
        {
            throw new ArgumentException("a video needs face detection: the recognizer was created without a detector", nameof(recognizer));
        }

        _recognizer = recognizer;
        Every = every;
        Tracker = tracker ?? new FaceTracker();
    }

    /// <summary>Frames between classified frames.</summary>
    public int Every { get; }

    /// <summary>The tracker, with the ids handed out so far.</summary>
    public FaceTracker Tracker { get; }

    /// <summary>Frames decoded by the last or current <see cref="Run"/>.</summary>
    public int FramesRead { get; private set; }

    /// <summary>
    /// Yields one result per classified frame, in frame order, lazily. With <paramref name="annotated"/>,
    /// every frame read is drawn (<see cref="FrameDrawing.Draw"/>) and written; the caller commits it.
    /// </summary>
    public IEnumerable<VideoFrameResult> Run(VideoSource video, AnnotatedVideoWriter? annotated = null)
    {
        ArgumentNullException.ThrowIfNull(video);
        FramesRead = 0;
        IReadOnlyList<TrackedFace> latest = [];
        using var frame = new Mat();
        while (video.Read(frame))
        {
            var index = FramesRead++;
            VideoFrameResult? result = null;
            if (index % Every == 0)
            {
                var faces = _recognizer.RecognizeFrame(frame);
                var ids = Tracker.Update([.. faces.Select(f => f.Box!.Value)]);
                latest = [.. faces.Select((f, i) => new TrackedFace(ids[i], f))];
                result = new VideoFrameResult(index, index / video.Fps, latest);
            }

            if (annotated is not null)
            {
                FrameDrawing.Draw(frame, latest, _recognizer.Classes);
                annotated.Write(frame);
            }

            if (result is not null)
            {
                yield return result;
            }
        }
    }
}
