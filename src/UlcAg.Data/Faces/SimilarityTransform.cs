using OpenCvSharp;

namespace UlcAg.Data.Faces;

/// <summary>
/// A 2-D similarity (uniform scale, rotation, translation; no reflection) as the 2 x 3 matrix
/// [[A, -B, Tx], [B, A, Ty]], mapping (x, y) to (A x - B y + Tx, B x + A y + Ty).
/// </summary>
public readonly record struct SimilarityTransform(double A, double B, double Tx, double Ty)
{
    /// <summary>The uniform scale factor sqrt(A^2 + B^2).</summary>
    public double Scale => Math.Sqrt((A * A) + (B * B));

    /// <summary>
    /// The least-squares similarity taking <paramref name="source"/> onto <paramref name="target"/>
    /// (Umeyama's closed form restricted to 2-D rotations, so it never reflects).
    /// </summary>
    public static SimilarityTransform Estimate(ReadOnlySpan<Point2f> source, ReadOnlySpan<Point2f> target)
    {
        if (source.Length != target.Length || source.Length < 2)
        {
            throw new ArgumentException($"need two equally long point lists of at least 2 points, got {source.Length} and {target.Length}");
        }

        double msx = 0, msy = 0, mtx = 0, mty = 0;
        for (var i = 0; i < source.Length; i++)
        {
            msx += source[i].X;
            msy += source[i].Y;
            mtx += target[i].X;
            mty += target[i].Y;
        }

        var n = source.Length;
        msx /= n;
        msy /= n;
        mtx /= n;
        mty /= n;

        // With centred points a (source) and b (target), minimising sum |M a - b|^2 over
        // M = [[A, -B], [B, A]] gives A = sum(a . b) / sum|a|^2 and B = sum(a x b) / sum|a|^2.
        double dot = 0, cross = 0, norm = 0;
        for (var i = 0; i < n; i++)
        {
            var ax = source[i].X - msx;
            var ay = source[i].Y - msy;
            var bx = target[i].X - mtx;
            var by = target[i].Y - mty;
            dot += (ax * bx) + (ay * by);
            cross += (ax * by) - (ay * bx);
            norm += (ax * ax) + (ay * ay);
        }

        if (norm < 1e-12)
        {
            throw new ArgumentException("source points coincide; no similarity transform is defined", nameof(source));
        }

        var a = dot / norm;
        var b = cross / norm;
        return new SimilarityTransform(a, b, mtx - ((a * msx) - (b * msy)), mty - ((b * msx) + (a * msy)));
    }

    /// <summary>Maps one point.</summary>
    public Point2d Apply(Point2d p) => new((A * p.X) - (B * p.Y) + Tx, (B * p.X) + (A * p.Y) + Ty);

    /// <summary>The inverse transform.</summary>
    public SimilarityTransform Inverse()
    {
        var d = (A * A) + (B * B);
        var ia = A / d;
        var ib = -B / d;
        return new SimilarityTransform(ia, ib, -((ia * Tx) - (ib * Ty)), -((ib * Tx) + (ia * Ty)));
    }

    /// <summary>The transform as an OpenCV 2 x 3 CV_64F matrix for <c>WarpAffine</c>.</summary>
    public Mat ToMat()
    {
        var m = new Mat(2, 3, MatType.CV_64FC1);
        m.Set(0, 0, A);
        m.Set(0, 1, -B);
        m.Set(0, 2, Tx);
        m.Set(1, 0, B);
        m.Set(1, 1, A);
        m.Set(1, 2, Ty);
        return m;
    }
}
