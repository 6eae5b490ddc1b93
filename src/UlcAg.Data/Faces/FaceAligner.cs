using OpenCvSharp;

namespace UlcAg.Data.Faces;

/// <summary>
/// The three ways a face becomes a square crop: a similarity alignment of landmarks to
/// <see cref="FaceTemplate"/> (five points, or the eyes and mouth centre), a square crop around a box with a margin, or a plain resize of an image
/// that already is a face crop. All take and return 8-bit BGR images; the caller disposes the result.
/// Shrinking uses area averaging (INTER_AREA), enlarging bilinear interpolation.
/// </summary>
public static class FaceAligner
{
    /// <summary>
    /// Warps the image so the landmarks land as close as possible (least squares) to the template
    /// points of a <paramref name="size"/> x <paramref name="size"/> crop. Pixels from outside the
    /// source image are black.
    /// </summary>
    public static Mat AlignToTemplate(Mat bgr, FiveLandmarks landmarks, int size, float padding = 0f)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ArgumentNullException.ThrowIfNull(landmarks);
        var transform = SimilarityTransform.Estimate(landmarks.ToArray(), FaceTemplate.ForSize(size, padding));
        return Warp(bgr, transform, size);
    }

    /// <summary>
    /// Warps the image so the eyes and mouth centre of <paramref name="keypoints"/> land as close as
    /// possible (least squares) to the template's eyes and the midpoint of its mouth corners
    /// (<see cref="FaceTemplate.EyesAndMouthForSize"/>): the same crop as the 5-point alignment for a
    /// detector that gives a mouth centre instead of corners. Pixels from outside the image are black.
    /// </summary>
    public static Mat AlignToTemplate(Mat bgr, FaceKeypoints keypoints, int size, float padding = 0f)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ArgumentNullException.ThrowIfNull(keypoints);
        return Warp(bgr, TemplateTransform(keypoints, size, padding), size);
    }

    /// <summary>The similarity taking the keypoints' eyes and mouth centre onto the template's (see <see cref="AlignToTemplate(Mat, FaceKeypoints, int, float)"/>).</summary>
    public static SimilarityTransform TemplateTransform(FaceKeypoints keypoints, int size, float padding = 0f)
    {
        ArgumentNullException.ThrowIfNull(keypoints);
        return SimilarityTransform.Estimate(keypoints.AlignmentPoints(), FaceTemplate.EyesAndMouthForSize(size, padding));
    }

    /// <summary>
    /// Warps <paramref name="bgr"/> by <paramref name="transform"/> (source pixels to crop pixels, pixel
    /// centres at integer coordinates) into a <paramref name="size"/>-square crop. When the transform
    /// shrinks by more than 2x, the region it reads is first area-averaged down, so small crops from
    /// large photos do not alias.
    /// </summary>
    public static Mat Warp(Mat bgr, SimilarityTransform transform, int size)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        CheckSize(size);

        // The source region the crop reads: the inverse image of the output square, plus a border for
        // the interpolation kernel.
        var inverse = transform.Inverse();
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var corner in (ReadOnlySpan<Point2d>)[new(-0.5, -0.5), new(size - 0.5, -0.5), new(-0.5, size - 0.5), new(size - 0.5, size - 0.5)])
        {
            var p = inverse.Apply(corner);
            minX = Math.Min(minX, p.X);
            minY = Math.Min(minY, p.Y);
            maxX = Math.Max(maxX, p.X);
            maxY = Math.Max(maxY, p.Y);
        }

        var border = 2 + (1 / transform.Scale);
        var x0 = Math.Max(0, (int)Math.Floor(minX - border));
        var y0 = Math.Max(0, (int)Math.Floor(minY - border));
        var x1 = Math.Min(bgr.Cols, (int)Math.Ceiling(maxX + border) + 1);
        var y1 = Math.Min(bgr.Rows, (int)Math.Ceiling(maxY + border) + 1);
        var output = new Mat(size, size, bgr.Type(), Scalar.All(0));
        if (x1 <= x0 || y1 <= y0)
        {
            return output;
        }

        using var roi = new Mat(bgr, new Rect(x0, y0, x1 - x0, y1 - y0));
        // Affine map from ROI pixels to crop pixels: [[m00, m01, m02], [m10, m11, m12]].
        var (a, b) = (transform.A, transform.B);
        double m00 = a, m01 = -b, m10 = b, m11 = a;
        var m02 = transform.Tx + (a * x0) - (b * y0);
        var m12 = transform.Ty + (b * x0) + (a * y0);

        Mat source = roi;
        Mat? shrunk = null;
        if (transform.Scale < 0.5)
        {
            var w = Math.Max(1, (int)Math.Round(roi.Cols * transform.Scale));
            var h = Math.Max(1, (int)Math.Round(roi.Rows * transform.Scale));
            shrunk = new Mat();
            Cv2.Resize(roi, shrunk, new Size(w, h), 0, 0, InterpolationFlags.Area);
            var fx = (double)w / roi.Cols;
            var fy = (double)h / roi.Rows;
            // A shrunk pixel x' has its centre at ROI coordinate (x' + 0.5) / fx - 0.5.
            var ox = (0.5 / fx) - 0.5;
            var oy = (0.5 / fy) - 0.5;
            m02 += (m00 * ox) + (m01 * oy);
            m12 += (m10 * ox) + (m11 * oy);
            m00 /= fx;
            m10 /= fx;
            m01 /= fy;
            m11 /= fy;
            source = shrunk;
        }

        try
        {
            using var matrix = new Mat(2, 3, MatType.CV_64FC1);
            matrix.Set(0, 0, m00);
            matrix.Set(0, 1, m01);
            matrix.Set(0, 2, m02);
            matrix.Set(1, 0, m10);
            matrix.Set(1, 1, m11);
            matrix.Set(1, 2, m12);
            Cv2.WarpAffine(source, output, matrix, new Size(size, size), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
            return output;
        }
        finally
        {
            shrunk?.Dispose();
        }
    }

    /// <summary>
    /// The square around <paramref name="box"/>: side = max(width, height) x (1 + 2 x
    /// <paramref name="margin"/>), centred on the box. Near a border the square is shifted (clamped) to
    /// stay inside the image; a square larger than the image is placed to cover the whole image, as
    /// centred on the box as that allows, and the rest is padded with black. The square is then
    /// resized to <paramref name="size"/> x <paramref name="size"/>.
    /// </summary>
    /// <param name="bgr">Source image.</param>
    /// <param name="box">Face box in source pixels.</param>
    /// <param name="margin">Context added on each side, as a fraction of the box's longer side.</param>
    /// <param name="size">Output side in pixels.</param>
    public static Mat CropBox(Mat bgr, FaceBox box, float margin, int size)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        CheckSize(size);
        if (margin < 0 || float.IsNaN(margin))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "must be zero or positive");
        }

        if (!(box.Width > 0 && box.Height > 0))
        {
            throw new ArgumentException($"face box must have a positive size, got {box.Width} x {box.Height}", nameof(box));
        }

        var side = Math.Max(1, (int)Math.Round(Math.Max(box.Width, box.Height) * (1 + (2 * margin))));
        var x0 = Place(box.X + (box.Width / 2), side, bgr.Cols);
        var y0 = Place(box.Y + (box.Height / 2), side, bgr.Rows);

        var vx0 = Math.Clamp(x0, 0, bgr.Cols);
        var vy0 = Math.Clamp(y0, 0, bgr.Rows);
        var vx1 = Math.Clamp(x0 + side, 0, bgr.Cols);
        var vy1 = Math.Clamp(y0 + side, 0, bgr.Rows);
        if (vx1 <= vx0 || vy1 <= vy0)
        {
            // The box lies wholly outside the image.
            return new Mat(size, size, bgr.Type(), Scalar.All(0));
        }

        using var roi = new Mat(bgr, new Rect(vx0, vy0, vx1 - vx0, vy1 - vy0));
        if (roi.Cols == side && roi.Rows == side)
        {
            return ResizeTo(roi, size);
        }

        using var padded = new Mat();
        Cv2.CopyMakeBorder(roi, padded, vy0 - y0, y0 + side - vy1, vx0 - x0, x0 + side - vx1, BorderTypes.Constant, Scalar.All(0));
        return ResizeTo(padded, size);
    }

    /// <summary>Resizes the whole image to <paramref name="size"/> x <paramref name="size"/> (aspect ratio not kept).</summary>
    public static Mat ResizeTo(Mat bgr, int size)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        CheckSize(size);
        var output = new Mat();
        if (bgr.Cols == size && bgr.Rows == size)
        {
            bgr.CopyTo(output);
            return output;
        }

        var shrinking = size <= bgr.Cols && size <= bgr.Rows;
        Cv2.Resize(bgr, output, new Size(size, size), 0, 0, shrinking ? InterpolationFlags.Area : InterpolationFlags.Linear);
        return output;
    }

    // Left/top edge of a square of side `side` centred at `centre`: shifted to lie inside [0, extent)
    // when it fits, else to contain all of [0, extent) (the padding then is as small as possible).
    private static int Place(float centre, int side, int extent)
    {
        var start = (int)Math.Round(centre - (side / 2f));
        return Math.Clamp(start, Math.Min(0, extent - side), Math.Max(0, extent - side));
    }

    private static void CheckSize(int size)
    {
        if (size <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "output size must be positive");
        }
    }
}
