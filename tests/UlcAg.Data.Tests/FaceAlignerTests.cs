using OpenCvSharp;
using UlcAg.Data.Faces;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class FaceAlignerTests
{
    private static readonly Scalar[] _dotColors =
    [
        new(255, 0, 0), new(0, 255, 0), new(0, 0, 255), new(255, 255, 0), new(0, 255, 255),
    ];

    [TestMethod]
    public void Estimate_RecoversAKnownSimilarityExactly()
    {
        var truth = Similarity(scale: 1.7, degrees: 20, tx: 13.5, ty: -4.25);
        Point2f[] source = [new(10, 20), new(50, 22), new(31, 45), new(15, 70), new(48, 69)];
        var target = source.Select(p => ToF(truth.Apply(new Point2d(p.X, p.Y)))).ToArray();

        var estimated = SimilarityTransform.Estimate(source, target);

        Assert.AreEqual(truth.A, estimated.A, 1e-5);
        Assert.AreEqual(truth.B, estimated.B, 1e-5);
        Assert.AreEqual(truth.Tx, estimated.Tx, 1e-3);
        Assert.AreEqual(truth.Ty, estimated.Ty, 1e-3);
        Assert.AreEqual(1.7, estimated.Scale, 1e-5);
        var back = estimated.Inverse().Apply(estimated.Apply(new Point2d(3, 4)));
        Assert.AreEqual(3, back.X, 1e-9);
        Assert.AreEqual(4, back.Y, 1e-9);
    }

    [TestMethod]
    public void Estimate_RejectsCoincidentPoints()
    {
        Point2f[] same = [new(5, 5), new(5, 5), new(5, 5)];
        Assert.ThrowsExactly<ArgumentException>(() => SimilarityTransform.Estimate(same, same));
    }

    [TestMethod]
    [DataRow(400, 300, 1.6, 15.0, DisplayName = "enlarging, rotated")]
    [DataRow(2400, 1800, 0.2, -25.0, DisplayName = "shrinking 5x (area pre-shrink path)")]
    public void AlignToTemplate_PutsEachLandmarkOnItsTemplatePoint(int width, int height, double inverseScale, double degrees)
    {
        const int size = 112;
        var template = FaceTemplate.ForSize(size);
        // Place the face in the source by the inverse of a known similarity, then round to whole pixels.
        var toSource = Similarity(1 / inverseScale, degrees, width / 2.0 - 50 / inverseScale, height / 2.0 - 60 / inverseScale);
        var points = template.Select(p => ToF(toSource.Apply(new Point2d(p.X, p.Y)))).Select(p => new Point2f(MathF.Round(p.X), MathF.Round(p.Y))).ToArray();
        using var image = new Mat(height, width, MatType.CV_8UC3, Scalar.All(0));
        var radius = Math.Max(2, (int)Math.Round(2.5 / inverseScale));
        for (var i = 0; i < 5; i++)
        {
            Cv2.Circle(image, new Point((int)points[i].X, (int)points[i].Y), radius, _dotColors[i], -1);
        }

        var marks = new FiveLandmarks(points[0], points[1], points[2], points[3], points[4]);
        using var aligned = FaceAligner.AlignToTemplate(image, marks, size);

        Assert.AreEqual(size, aligned.Rows);
        Assert.AreEqual(size, aligned.Cols);
        Assert.AreEqual(MatType.CV_8UC3, aligned.Type());
        for (var i = 0; i < 5; i++)
        {
            var found = Centroid(aligned, _dotColors[i]);
            Assert.AreEqual(template[i].X, found.X, 0.75, $"point {i} x");
            Assert.AreEqual(template[i].Y, found.Y, 0.75, $"point {i} y");
        }
    }

    [TestMethod]
    public void FromFlat_DerivesFivePointsFrom68()
    {
        var xy = new float[136];
        for (var i = 0; i < 68; i++)
        {
            xy[2 * i] = i;
            xy[(2 * i) + 1] = 1000 + i;
        }

        var marks = FiveLandmarks.FromFlat(xy);

        Assert.AreEqual(new Point2f(38.5f, 1038.5f), marks.LeftEye);  // mean of 36..41
        Assert.AreEqual(new Point2f(44.5f, 1044.5f), marks.RightEye); // mean of 42..47
        Assert.AreEqual(new Point2f(30, 1030), marks.Nose);
        Assert.AreEqual(new Point2f(48, 1048), marks.MouthLeft);
        Assert.AreEqual(new Point2f(54, 1054), marks.MouthRight);
        var e = Assert.ThrowsExactly<ArgumentException>(() => FiveLandmarks.FromFlat(new float[12], "sample x"));
        StringAssert.Contains(e.Message, "sample x");
        StringAssert.Contains(e.Message, "136");
    }

    [TestMethod]
    public void TemplatePadding_ShrinksTheFaceAroundTheCentre()
    {
        var plain = FaceTemplate.ForSize(100);
        var padded = FaceTemplate.ForSize(100, padding: 0.25f);
        for (var i = 0; i < 5; i++)
        {
            Assert.AreEqual(50 + ((plain[i].X - 50) / 1.5f), padded[i].X, 1e-3);
            Assert.AreEqual(50 + ((plain[i].Y - 50) / 1.5f), padded[i].Y, 1e-3);
        }
    }

    [TestMethod]
    public void CropBox_InsideTheImage_IsTheExactSquareWithMargin()
    {
        using var image = CoordinateImage(200, 150);
        // 40 x 30 box centred at (100, 75); margin 0.25 -> side 40 * 1.5 = 60 -> square (70, 45)-(130, 105).
        using var crop = FaceAligner.CropBox(image, new FaceBox(80, 60, 40, 30), margin: 0.25f, size: 60);

        using var expected = new Mat(image, new Rect(70, 45, 60, 60));
        CollectionAssert.AreEqual(FaceTestImages.Bytes(expected), FaceTestImages.Bytes(crop));
    }

    [TestMethod]
    public void CropBox_NearABorder_ShiftsTheSquareInside()
    {
        using var image = CoordinateImage(200, 150);
        // Centred at (15, 140), side 40: shifted to start at x = 0 and end at y = 150.
        using var crop = FaceAligner.CropBox(image, new FaceBox(5, 130, 20, 20), margin: 0.5f, size: 40);

        using var expected = new Mat(image, new Rect(0, 110, 40, 40));
        CollectionAssert.AreEqual(FaceTestImages.Bytes(expected), FaceTestImages.Bytes(crop));
    }

    [TestMethod]
    public void CropBox_LargerThanTheImage_PadsWithBlack()
    {
        using var image = CoordinateImage(100, 60);
        // Side 100 * 1.2 = 120 > both sides: the whole image, centred, inside a black 120 square.
        using var crop = FaceAligner.CropBox(image, new FaceBox(0, 0, 100, 60), margin: 0.1f, size: 120);

        var cropBytes = FaceTestImages.Bytes(crop);
        using var inner = new Mat(crop, new Rect(10, 30, 100, 60));
        CollectionAssert.AreEqual(FaceTestImages.Bytes(image), FaceTestImages.Bytes(inner));
        Assert.AreEqual(new Vec3b(0, 0, 0), crop.At<Vec3b>(0, 0));
        Assert.AreEqual(new Vec3b(0, 0, 0), crop.At<Vec3b>(29, 60));
        Assert.AreEqual(new Vec3b(0, 0, 0), crop.At<Vec3b>(90, 5));
        Assert.AreEqual(new Vec3b(0, 0, 0), crop.At<Vec3b>(119, 119));
        Assert.AreEqual(120 * 120 * 3, cropBytes.Length);
    }

    [TestMethod]
    public void ResizeTo_ShrinksWithAreaAveraging()
    {
        using var image = FaceTestImages.RandomBgr(90, 70, seed: 3);
        using var resized = FaceAligner.ResizeTo(image, 35);
        using var expected = new Mat();
        Cv2.Resize(image, expected, new Size(35, 35), 0, 0, InterpolationFlags.Area);
        CollectionAssert.AreEqual(FaceTestImages.Bytes(expected), FaceTestImages.Bytes(resized));
    }

    // Pixel (x, y) = (B, G, R) = (x, y, x + y) mod 256: every crop position is recognisable.
    private static Mat CoordinateImage(int width, int height)
    {
        var image = new Mat(height, width, MatType.CV_8UC3);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image.Set(y, x, new Vec3b((byte)x, (byte)y, (byte)(x + y)));
            }
        }

        return image;
    }

    private static SimilarityTransform Similarity(double scale, double degrees, double tx, double ty)
    {
        var r = degrees * Math.PI / 180;
        return new SimilarityTransform(scale * Math.Cos(r), scale * Math.Sin(r), tx, ty);
    }

    private static Point2f ToF(Point2d p) => new((float)p.X, (float)p.Y);

    // Intensity-weighted centre of the pixels showing one dot color (its channels high, the others low).
    private static Point2d Centroid(Mat image, Scalar color)
    {
        double sx = 0, sy = 0, sw = 0;
        var (rows, cols) = (image.Rows, image.Cols);
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < cols; x++)
            {
                var p = image.At<Vec3b>(y, x);
                double on = 255, off = 0;
                for (var c = 0; c < 3; c++)
                {
                    if (color[c] > 0)
                    {
                        on = Math.Min(on, p[c]);
                    }
                    else
                    {
                        off = Math.Max(off, p[c]);
                    }
                }

                var w = Math.Max(0, on - off);
                sx += w * x;
                sy += w * y;
                sw += w;
            }
        }

        Assert.IsTrue(sw > 0, $"no pixel of color {color} in the aligned image");
        return new Point2d(sx / sw, sy / sw);
    }
}
