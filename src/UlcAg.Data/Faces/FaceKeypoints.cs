using OpenCvSharp;

namespace UlcAg.Data.Faces;

/// <summary>
/// BlazeFace's six facial keypoints, in image pixels (pixel centres at integer coordinates). As in
/// <see cref="FiveLandmarks"/>, "left" and "right" are as seen in the image: <see cref="LeftEye"/> is
/// MediaPipe's keypoint 0 ("right eye", the subject's right), <see cref="RightEye"/> keypoint 1,
/// <see cref="Nose"/> the nose tip (2), <see cref="Mouth"/> the mouth centre (3), <see cref="LeftEar"/>
/// and <see cref="RightEar"/> the ear tragions (4 and 5).
/// </summary>
public sealed record FaceKeypoints(
    Point2f LeftEye,
    Point2f RightEye,
    Point2f Nose,
    Point2f Mouth,
    Point2f LeftEar,
    Point2f RightEar)
{
    /// <summary>Number of points.</summary>
    public const int Count = 6;

    /// <summary>The points in MediaPipe's order (the order of this record).</summary>
    public Point2f[] ToArray() => [LeftEye, RightEye, Nose, Mouth, LeftEar, RightEar];

    /// <summary>The points that align a face: left eye, right eye, mouth centre (see <see cref="FaceTemplate.EyesAndMouthForSize"/>).</summary>
    public Point2f[] AlignmentPoints() => [LeftEye, RightEye, Mouth];

    /// <summary>Every point passed through <paramref name="map"/>.</summary>
    public FaceKeypoints Map(Func<Point2f, Point2f> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new(map(LeftEye), map(RightEye), map(Nose), map(Mouth), map(LeftEar), map(RightEar));
    }

    /// <summary>Reads six interleaved x, y pairs in MediaPipe's order.</summary>
    public static FaceKeypoints FromFlat(ReadOnlySpan<float> xy)
    {
        if (xy.Length != 2 * Count)
        {
            throw new ArgumentException($"expected {2 * Count} values (6 x,y points), got {xy.Length}", nameof(xy));
        }

        return new(P(xy, 0), P(xy, 1), P(xy, 2), P(xy, 3), P(xy, 4), P(xy, 5));
    }

    private static Point2f P(ReadOnlySpan<float> xy, int i) => new(xy[2 * i], xy[(2 * i) + 1]);
}
