using OpenCvSharp;

namespace UlcAg.Data.Faces;

/// <summary>Finds faces in an image.</summary>
public interface IFaceDetector : IDisposable
{
    /// <summary>True when the detector reports points to align each face by (five landmarks or six keypoints).</summary>
    bool ProvidesLandmarks { get; }

    /// <summary>
    /// Detects faces in an 8-bit, 3-channel BGR image. Results are sorted largest box first, ties by
    /// descending score: in expression datasets the largest face is the labelled subject.
    /// Instances are not thread-safe; use one per thread.
    /// </summary>
    IReadOnlyList<DetectedFace> Detect(Mat bgr);

    /// <summary>
    /// The largest face, or null when there is none: by default the first of <see cref="Detect"/>'s list.
    /// Detectors that can stop searching once the largest face is found override this (an image cache
    /// needs only that face); their box may then come from fewer views than <see cref="Detect"/> blends.
    /// </summary>
    DetectedFace? DetectLargest(Mat bgr) => Detect(bgr) is [var first, ..] ? first : null;
}
