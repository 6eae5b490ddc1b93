namespace UlcAg.Data.Faces;

/// <summary>
/// One face found by an <see cref="IFaceDetector"/>: its box in source-image pixels, a detector score
/// (higher is more confident; the scale depends on the detector), and the points that align it when
/// the detector provides them: five landmarks (YuNet) or BlazeFace's six keypoints.
/// </summary>
public sealed record DetectedFace(FaceBox Box, float Score, FiveLandmarks? Landmarks = null, FaceKeypoints? Keypoints = null)
{
    /// <summary>Box area in pixels, the primary sort key of detector results.</summary>
    public float Area => Box.Width * Box.Height;
}
