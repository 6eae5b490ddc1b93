using System.Globalization;

namespace UlcAg.Data.Faces;

/// <summary>
/// A serializable description of a face detector: the cache key hashes it, and each build thread
/// creates its own detector from it (detectors are not thread-safe).
/// </summary>
/// <param name="Kind">Detector family.</param>
/// <param name="ModelPath">
/// ONNX model for BlazeFace (null: <see cref="BlazeFaceDetector.DefaultModelPath"/>), cascade XML for Haar
/// (null: Debian's default), ONNX model for YuNet (required).
/// </param>
/// <param name="ScoreThreshold">BlazeFace and YuNet: minimum score kept.</param>
/// <param name="MinNeighbors">Haar: overlapping candidates needed to keep a detection.</param>
public sealed record FaceDetectorSpec(
    FaceDetectorKind Kind,
    string? ModelPath = null,
    float ScoreThreshold = 0.6f,
    int MinNeighbors = 5)
{
    /// <summary>The default detector: BlazeFace with the shipped full-range model.</summary>
    public static FaceDetectorSpec Default => BlazeFace();

    /// <summary>The BlazeFace detector (the shipped full-range model unless a path is given).</summary>
    public static FaceDetectorSpec BlazeFace(string? modelPath = null) =>
        new(FaceDetectorKind.BlazeFace, modelPath, BlazeFaceDetector.DefaultScoreThreshold);

    /// <summary>The Haar cascade detector (Debian's opencv-data cascade unless a path is given).</summary>
    public static FaceDetectorSpec Haar(string? cascadePath = null) => new(FaceDetectorKind.Haar, cascadePath);

    /// <summary>The YuNet detector from its ONNX model file.</summary>
    public static FaceDetectorSpec YuNet(string modelPath) => new(FaceDetectorKind.YuNet, modelPath);

    /// <summary>Creates a new detector instance; the caller disposes it.</summary>
    /// <param name="threads">BlazeFace: ONNX Runtime intra-op threads, 0 for one per core (a build that runs a detector per core gives each one thread).</param>
    /// <exception cref="FaceDetectorUnavailableException">The model or cascade file is missing or unreadable.</exception>
    public IFaceDetector Create(int threads = 0) => Kind switch
    {
        FaceDetectorKind.BlazeFace => new BlazeFaceDetector(ModelPath, ScoreThreshold, threads: threads),
        FaceDetectorKind.Haar => new HaarFaceDetector(ModelPath, minNeighbors: MinNeighbors),
        FaceDetectorKind.YuNet => new YuNetFaceDetector(
            ModelPath ?? throw new FaceDetectorUnavailableException("The YuNet detector needs the path of its .onnx model file."),
            ScoreThreshold),
        _ => throw new InvalidOperationException($"unknown face detector kind {Kind}"),
    };

    /// <summary>
    /// Text identifying the detector's behaviour for cache keys: kind, thresholds, and the model
    /// file's full path, size and modification time (a replaced model invalidates the cache); for
    /// BlazeFace also the short-range model beside it, which finds the faces that fill a photo.
    /// </summary>
    public string KeyText()
    {
        var path = ModelPath ?? Kind switch
        {
            FaceDetectorKind.Haar => HaarFaceDetector.DefaultCascadePath,
            FaceDetectorKind.BlazeFace => BlazeFaceDetector.DefaultModelPath,
            _ => "",
        };
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{Kind}|{(path.Length == 0 ? "" : Path.GetFullPath(path))}|{Stamp(path)}|{ScoreThreshold:R}|{MinNeighbors}");
        // BlazeFace finds a dataset photo's face with the short-range model beside the full-range one when it is there.
        return Kind == FaceDetectorKind.BlazeFace && path.Length > 0
            ? $"{text}|{Stamp(BlazeFaceDetector.ShortRangeCompanion(path))}"
            : text;
    }

    private static string Stamp(string path)
    {
        var file = new FileInfo(path);
        return file.Exists
            ? string.Create(CultureInfo.InvariantCulture, $"{file.Length}:{file.LastWriteTimeUtc.Ticks}")
            : "missing";
    }
}
