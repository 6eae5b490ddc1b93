namespace UlcAg.Data.Faces;

/// <summary>
/// One raw BlazeFace detection: a score in [0, 1] and its geometry as one vector (box corners x0, y0,
/// x1, y1, then the six keypoints' x, y), so that blending detections is a weighted mean of vectors.
/// Coordinates are continuous (pixel i spans [i, i + 1]).
/// </summary>
internal readonly record struct FaceCandidate(float Score, float[] Geometry)
{
    /// <summary>Length of <see cref="Geometry"/>: 4 box values and 6 x, y keypoints.</summary>
    public const int GeometryLength = 4 + (2 * FaceKeypoints.Count);

    public float X0 => Geometry[0];
    public float Y0 => Geometry[1];
    public float X1 => Geometry[2];
    public float Y1 => Geometry[3];
    public float Width => X1 - X0;
    public float Height => Y1 - Y0;

    public float Area => Width * Height;

    /// <summary>Area of the intersection of the two boxes.</summary>
    public float Intersection(FaceCandidate other)
    {
        var w = Math.Min(X1, other.X1) - Math.Max(X0, other.X0);
        var h = Math.Min(Y1, other.Y1) - Math.Max(Y0, other.Y0);
        return w > 0 && h > 0 ? w * h : 0;
    }

    /// <summary>Intersection over union of the two boxes (0 when they do not overlap).</summary>
    public float IoU(FaceCandidate other)
    {
        var inter = Intersection(other);
        var union = Area + other.Area - inter;
        return inter > 0 && union > 0 ? inter / union : 0;
    }

    /// <summary>The same detection with every point p mapped to ((p.x + dx) fx, (p.y + dy) fy).</summary>
    public FaceCandidate Map(float dx, float dy, float fx, float fy)
    {
        var g = new float[GeometryLength];
        for (var i = 0; i < GeometryLength; i += 2)
        {
            g[i] = (Geometry[i] + dx) * fx;
            g[i + 1] = (Geometry[i + 1] + dy) * fy;
        }

        return new FaceCandidate(Score, g);
    }
}
