using OpenCvSharp;

namespace UlcAg.Data.Synthetic;

/// <summary>
/// An image plus the projection of one face: draws shapes given in face units, anti-aliased and
/// with sub-pixel precision.
/// </summary>
public sealed class FaceCanvas
{
    /// <summary>Creates a canvas over <paramref name="image"/> (BGR, 8-bit) with the given projection.</summary>
    public FaceCanvas(Mat image, FaceProjection projection)
    {
        Image = image;
        Projection = projection;
    }

    /// <summary>The image drawn into.</summary>
    public Mat Image { get; }

    /// <summary>Face units to pixels.</summary>
    public FaceProjection Projection { get; }

    /// <summary>Fills a polygon given on the head surface.</summary>
    public void Fill(IReadOnlyList<FacePoint> polygon, Scalar color, double lift = 0)
    {
        if (polygon.Count < 3)
            return;
        Cv2.FillPoly(Image, [Project(polygon, lift)], color, LineTypes.AntiAlias, FaceProjection.Shift);
    }

    /// <summary>Draws an open (or closed) polyline given on the head surface.</summary>
    public void Stroke(IReadOnlyList<FacePoint> points, Scalar color, double widthUnits, bool closed = false, double lift = 0)
    {
        if (points.Count < 2)
            return;
        Cv2.Polylines(Image, [Project(points, lift)], closed, color, Projection.Thickness(widthUnits), LineTypes.AntiAlias, FaceProjection.Shift);
    }

    /// <summary>Fills an ellipse given by centre and radii in face units, rotated by <paramref name="degrees"/> in the face plane.</summary>
    public void FillEllipse(FacePoint centre, double rx, double ry, Scalar color, double degrees = 0, double lift = 0, int samples = 20) =>
        Fill(Ellipse(centre, rx, ry, degrees, samples), color, lift);

    /// <summary>Points of an ellipse in face units.</summary>
    public static FacePoint[] Ellipse(FacePoint centre, double rx, double ry, double degrees = 0, int samples = 20)
    {
        var (sin, cos) = Math.SinCos(degrees * Math.PI / 180);
        var points = new FacePoint[samples];
        for (var i = 0; i < samples; i++)
        {
            var (st, ct) = Math.SinCos(2 * Math.PI * i / samples);
            var x = rx * ct;
            var y = ry * st;
            points[i] = new FacePoint(centre.X + x * cos - y * sin, centre.Y + x * sin + y * cos, centre.Lift);
        }
        return points;
    }

    /// <summary>Draws a straight thick segment with round caps between two face points.</summary>
    public void Segment(FacePoint a, FacePoint b, Scalar color, double widthUnits, double lift = 0) =>
        Cv2.Line(Image, Fixed(a, lift), Fixed(b, lift), color, Projection.Thickness(widthUnits), LineTypes.AntiAlias, FaceProjection.Shift);

    private Point Fixed(FacePoint p, double lift) => Projection.Fixed(p with { Lift = p.Lift + lift });

    private Point[] Project(IReadOnlyList<FacePoint> points, double lift)
    {
        var result = new Point[points.Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = Fixed(points[i], lift);
        return result;
    }
}
