using OpenCvSharp;

namespace UlcAg.Data.Faces;

/// <summary>
/// One face crop made by <see cref="FacePipeline"/>: the 8-bit BGR crop (owned by this object;
/// dispose it), how it was made, and the box, score and landmarks or keypoints it came from, in source-image
/// pixels (null when the crop is a plain resize).
/// </summary>
public sealed record AlignedFace(Mat Crop, FaceCropKind Kind, FaceBox? Box, float Score, FiveLandmarks? Landmarks, FaceKeypoints? Keypoints = null) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Crop.Dispose();
}
