using OpenCvSharp;

namespace UlcAg.Data.Faces;

/// <summary>
/// The five facial points used for alignment, in image pixels. "Left" and "right" are as seen in the
/// image: <see cref="LeftEye"/> is the eye with the smaller x (the subject's right eye), which is
/// the order YuNet reports and the order of the 68-point scheme (points 36-41 before 42-47).
/// </summary>
public sealed record FiveLandmarks(
    Point2f LeftEye,
    Point2f RightEye,
    Point2f Nose,
    Point2f MouthLeft,
    Point2f MouthRight)
{
    /// <summary>Number of values in a flat 5-point array (x0, y0, ..., x4, y4).</summary>
    public const int FivePointLength = 10;

    /// <summary>Number of values in a flat 68-point array (iBUG 300-W order, as AffectNet ships).</summary>
    public const int SixtyEightPointLength = 136;

    /// <summary>
    /// Reads landmarks stored as interleaved x, y pairs: either the five points in the order of this
    /// record, or the 68 iBUG points, from which the eye centres are the means of points 36-41 and
    /// 42-47, the nose tip is point 30 and the mouth corners are points 48 and 54.
    /// </summary>
    /// <param name="xy">10 or 136 values.</param>
    /// <param name="owner">Named in the error message when the length is wrong (e.g. a sample id).</param>
    public static FiveLandmarks FromFlat(ReadOnlySpan<float> xy, string owner = "landmarks")
    {
        switch (xy.Length)
        {
            case FivePointLength:
                return new FiveLandmarks(P(xy, 0), P(xy, 1), P(xy, 2), P(xy, 3), P(xy, 4));
            case SixtyEightPointLength:
                return new FiveLandmarks(Mean(xy, 36, 41), Mean(xy, 42, 47), P(xy, 30), P(xy, 48), P(xy, 54));
            default:
                throw new ArgumentException(
                    $"{owner}: expected {FivePointLength} values (5 x,y points) or {SixtyEightPointLength} values " +
                    $"(68 x,y points), got {xy.Length}.", nameof(xy));
        }
    }

    /// <summary>The points in record order: left eye, right eye, nose tip, left and right mouth corner.</summary>
    public Point2f[] ToArray() => [LeftEye, RightEye, Nose, MouthLeft, MouthRight];

    /// <summary>Every point passed through <paramref name="map"/>.</summary>
    public FiveLandmarks Map(Func<Point2f, Point2f> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new(map(LeftEye), map(RightEye), map(Nose), map(MouthLeft), map(MouthRight));
    }

    /// <summary>The landmarks with every coordinate multiplied by <paramref name="factor"/>.</summary>
    public FiveLandmarks Scale(float factor) => new(
        LeftEye * factor, RightEye * factor, Nose * factor, MouthLeft * factor, MouthRight * factor);

    private static Point2f P(ReadOnlySpan<float> xy, int i) => new(xy[2 * i], xy[(2 * i) + 1]);

    private static Point2f Mean(ReadOnlySpan<float> xy, int first, int last)
    {
        float x = 0, y = 0;
        for (var i = first; i <= last; i++)
        {
            x += xy[2 * i];
            y += xy[(2 * i) + 1];
        }

        var n = last - first + 1;
        return new Point2f(x / n, y / n);
    }
}
