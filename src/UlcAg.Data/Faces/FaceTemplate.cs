using OpenCvSharp;

namespace UlcAg.Data.Faces;

/// <summary>
/// Canonical positions of the five alignment points in a square crop, as fractions of the crop side.
/// The default is the widely used 112 x 112 face-recognition template (eyes at y = 0.46, mouth
/// corners at y = 0.82) divided by 112, so it scales to any output size.
/// </summary>
public static class FaceTemplate
{
    private static readonly Point2f[] _unit =
    [
        new(38.2946f / 112f, 51.6963f / 112f),
        new(73.5318f / 112f, 51.5014f / 112f),
        new(56.0252f / 112f, 71.7366f / 112f),
        new(41.5493f / 112f, 92.3655f / 112f),
        new(70.7299f / 112f, 92.2041f / 112f),
    ];

    /// <summary>
    /// The template in pixels of a <paramref name="size"/> x <paramref name="size"/> crop, in
    /// <see cref="FiveLandmarks"/> order.
    /// </summary>
    /// <param name="size">Output side in pixels.</param>
    /// <param name="padding">
    /// Extra context on each side as a fraction of the template face: 0 keeps the template; 0.25
    /// shrinks the face by 1 / 1.5 around the crop centre so more hair, chin and background show.
    /// </param>
    public static Point2f[] ForSize(int size, float padding = 0f)
    {
        if (size <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "must be positive");
        }

        if (padding < 0 || float.IsNaN(padding))
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "must be zero or positive");
        }

        var shrink = 1f / (1f + (2f * padding));
        var points = new Point2f[_unit.Length];
        for (var i = 0; i < points.Length; i++)
        {
            var u = _unit[i];
            points[i] = new Point2f(
                (0.5f + ((u.X - 0.5f) * shrink)) * size,
                (0.5f + ((u.Y - 0.5f) * shrink)) * size);
        }

        return points;
    }

    /// <summary>
    /// The template's left eye, right eye and mouth centre (the midpoint of its mouth corners) in pixels
    /// of a <paramref name="size"/> x <paramref name="size"/> crop: the points of
    /// <see cref="FaceKeypoints.AlignmentPoints"/>, for detectors that give a mouth centre, not corners.
    /// </summary>
    public static Point2f[] EyesAndMouthForSize(int size, float padding = 0f)
    {
        var five = ForSize(size, padding);
        return [five[0], five[1], new Point2f((five[3].X + five[4].X) / 2, (five[3].Y + five[4].Y) / 2)];
    }
}
