using OpenCvSharp;

namespace UlcAg.Data.Faces;

/// <summary>
/// OpenCV's Viola-Jones frontal face detector. Boxes only (no landmarks); the score is the cascade's
/// last-stage weight, comparable between faces of one image but not calibrated.
/// </summary>
public sealed class HaarFaceDetector : IFaceDetector
{
    /// <summary>Where Debian's <c>opencv-data</c> package installs the default frontal face cascade.</summary>
    public const string DefaultCascadePath = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

    private readonly CascadeClassifier _cascade;
    private readonly double _scaleFactor;
    private readonly int _minNeighbors;
    private readonly float _minSizeFraction;

    /// <summary>Loads a cascade file.</summary>
    /// <param name="cascadePath">Cascade XML; null for <see cref="DefaultCascadePath"/>.</param>
    /// <param name="scaleFactor">Image pyramid step (OpenCV's scaleFactor).</param>
    /// <param name="minNeighbors">Overlapping candidates needed to keep a detection.</param>
    /// <param name="minSizeFraction">Smallest face side as a fraction of the image's shorter side.</param>
    /// <exception cref="FaceDetectorUnavailableException">The cascade file is missing or not a cascade.</exception>
    public HaarFaceDetector(string? cascadePath = null, double scaleFactor = 1.1, int minNeighbors = 5, float minSizeFraction = 0.05f)
    {
        if (scaleFactor <= 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(scaleFactor), scaleFactor, "must be greater than 1");
        }

        var path = cascadePath ?? DefaultCascadePath;
        if (!File.Exists(path))
        {
            throw new FaceDetectorUnavailableException(
                $"The Haar face cascade '{path}' does not exist. Debian's opencv-data package installs the default " +
                $"cascade at {DefaultCascadePath} (apt-get install opencv-data); or give the path of another cascade XML file.");
        }

        try
        {
            _cascade = new CascadeClassifier(path);
        }
        catch (OpenCVException e)
        {
            throw new FaceDetectorUnavailableException($"'{path}' is not a readable OpenCV cascade: {e.Message}", e);
        }

        if (_cascade.Empty())
        {
            _cascade.Dispose();
            throw new FaceDetectorUnavailableException($"'{path}' is not a readable OpenCV cascade (it loaded empty).");
        }

        _scaleFactor = scaleFactor;
        _minNeighbors = minNeighbors;
        _minSizeFraction = minSizeFraction;
    }

    /// <inheritdoc />
    public bool ProvidesLandmarks => false;

    /// <inheritdoc />
    public IReadOnlyList<DetectedFace> Detect(Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        // No histogram equalization: the cascade normalizes each window's variance itself, and
        // equalizing flat, evenly lit images (synthetic faces) makes it miss them.
        using var gray = new Mat();
        if (bgr.Channels() == 1)
        {
            bgr.CopyTo(gray);
        }
        else
        {
            Cv2.CvtColor(bgr, gray, ColorConversionCodes.BGR2GRAY);
        }

        var minSide = Math.Max(1, (int)(Math.Min(gray.Rows, gray.Cols) * _minSizeFraction));
        // outputRejectLevels keeps the same detections and adds each one's last-stage weight, our score.
        var rects = _cascade.DetectMultiScale(
            gray, out _, out var weights, _scaleFactor, _minNeighbors, HaarDetectionTypes.ScaleImage,
            new Size(minSide, minSide), null, outputRejectLevels: true);
        var faces = new List<DetectedFace>(rects.Length);
        for (var i = 0; i < rects.Length; i++)
        {
            var r = rects[i];
            var score = i < weights.Length ? (float)weights[i] : 1f;
            faces.Add(new DetectedFace(new FaceBox(r.X, r.Y, r.Width, r.Height), score));
        }

        return FaceOrdering.LargestFirst(faces);
    }

    /// <inheritdoc />
    public void Dispose() => _cascade.Dispose();
}
