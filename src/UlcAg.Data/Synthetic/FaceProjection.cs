using OpenCvSharp;

namespace UlcAg.Data.Synthetic;

/// <summary>
/// Maps face units to image pixels: a point on a rounded head surface is turned by yaw and pitch,
/// projected orthographically, rotated in plane (roll), scaled and placed so that the face sits
/// where RAF-DB's aligned crops put it (eyes at about 40 percent of the height).
/// </summary>
public sealed class FaceProjection
{
    /// <summary>Sub-pixel bits of the fixed-point coordinates handed to OpenCV's drawing functions.</summary>
    public const int Shift = 4;
    private const double FixedScale = 1 << Shift;

    // Aligned framing: pixels per face unit and the eye-line position, as fractions of the image size.
    private const double UnitFraction = 0.33;
    private const double EyeLineFraction = 0.39;

    private readonly double _cx, _cy, _unit, _sinYaw, _cosYaw, _sinPitch, _cosPitch, _sinRoll, _cosRoll, _faceWidth;

    /// <summary>Creates the projection of a face of the given identity in the given scene.</summary>
    public FaceProjection(int imageSize, FaceScene scene, FaceIdentity identity)
    {
        ImageSize = imageSize;
        _cx = imageSize * (0.5 + scene.OffsetX);
        _cy = imageSize * (EyeLineFraction + scene.OffsetY);
        _unit = imageSize * UnitFraction * scene.Scale;
        var yaw = scene.YawDegrees * Math.PI / 180;
        var pitch = scene.PitchDegrees * Math.PI / 180;
        var roll = scene.RollDegrees * Math.PI / 180;
        (_sinYaw, _cosYaw) = Math.SinCos(yaw);
        (_sinPitch, _cosPitch) = Math.SinCos(pitch);
        (_sinRoll, _cosRoll) = Math.SinCos(roll);
        _faceWidth = identity.FaceWidth;
    }

    /// <summary>Image width and height in pixels.</summary>
    public int ImageSize { get; }

    /// <summary>Pixels per face unit.</summary>
    public double Unit => _unit;

    /// <summary>Depth of the head surface at (x, y): a flattened ellipsoid, deepest at the nose.</summary>
    public double Depth(double x, double y)
    {
        var nx = x / _faceWidth;
        var ny = (y - 0.3) / 1.6;
        return 0.8 * Math.Sqrt(Math.Max(0, 1 - nx * nx - ny * ny));
    }

    /// <summary>Pixel position of a face point on the head surface.</summary>
    public Point2d Project(FacePoint p) => Project(p.X, p.Y, Depth(p.X, p.Y) + p.Lift);

    /// <summary>Pixel position of a point at an explicit depth (0 = the silhouette plane).</summary>
    public Point2d Project(double x, double y, double z)
    {
        var x1 = x * _cosYaw + z * _sinYaw;
        var z1 = -x * _sinYaw + z * _cosYaw;
        var y1 = y * _cosPitch - z1 * _sinPitch;
        return new Point2d(_cx + _unit * (x1 * _cosRoll - y1 * _sinRoll), _cy + _unit * (x1 * _sinRoll + y1 * _cosRoll));
    }

    /// <summary>Fixed-point pixel position (see <see cref="Shift"/>) of a face point on the head surface.</summary>
    public Point Fixed(FacePoint p) => ToFixed(Project(p));

    /// <summary>Fixed-point pixel position of a point at an explicit depth.</summary>
    public Point Fixed(double x, double y, double z) => ToFixed(Project(x, y, z));

    /// <summary>Fixed-point version of a pixel position.</summary>
    public static Point ToFixed(Point2d p) => new((int)Math.Round(p.X * FixedScale), (int)Math.Round(p.Y * FixedScale));

    /// <summary>A length in face units as a pixel line thickness (at least 1).</summary>
    public int Thickness(double units) => Math.Max(1, (int)Math.Round(units * _unit));

    /// <summary>A length in face units in fixed-point pixels.</summary>
    public int FixedLength(double units) => (int)Math.Round(units * _unit * FixedScale);

    /// <summary>Image rotation of the face in degrees (for ellipses drawn by OpenCV).</summary>
    public double RollDegrees => Math.Atan2(_sinRoll, _cosRoll) * 180 / Math.PI;
}
