using OpenCvSharp;
using UlcAg.Data;

namespace UlcAg.Data.Tests;

/// <summary>Images and splits made on the fly for the face, cache and loader tests.</summary>
internal static class FaceTestImages
{
    /// <summary>A BGR image of smooth random blobs over noise, so resizing and cropping change every pixel.</summary>
    public static Mat RandomBgr(int width, int height, int seed)
    {
        var rng = new Random(seed);
        var image = new Mat(height, width, MatType.CV_8UC3);
        Cv2.Randu(image, Scalar.All(0), Scalar.All(256));
        for (var i = 0; i < 6; i++)
        {
            var color = new Scalar(rng.Next(256), rng.Next(256), rng.Next(256));
            Cv2.Circle(image, new Point(rng.Next(width), rng.Next(height)), rng.Next(4, Math.Max(5, width / 3)), color, -1);
        }

        return image;
    }

    /// <summary>Writes <paramref name="count"/> random PNG files of varying size and returns a split over them.</summary>
    public static DatasetSplit RandomPngSplit(string directory, int count, string name = "toy", int seed = 1)
    {
        var samples = new List<Sample>();
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(directory, $"img_{i:D3}.png");
            using var image = RandomBgr(40 + (i % 5 * 7), 36 + (i % 3 * 11), seed * 1000 + i);
            Cv2.ImWrite(path, image);
            samples.Add(new Sample($"s{i}", new ImageSource.File(path), i % 7));
        }

        return new DatasetSplit(name, "train", ["a", "b", "c", "d", "e", "f", "g"], [], samples);
    }

    /// <summary>A split of raw-pixel samples (no files), each image filled with a distinct pattern.</summary>
    public static DatasetSplit RandomPixelSplit(int count, int size, int seed = 7)
    {
        var samples = new List<Sample>();
        for (var i = 0; i < count; i++)
        {
            using var image = RandomBgr(size, size, seed * 1000 + i);
            var data = new byte[size * size * 3];
            System.Runtime.InteropServices.Marshal.Copy(image.Data, data, 0, data.Length);
            samples.Add(new Sample($"p{i}", new ImageSource.Pixels(data, size, size, 3), i % 7));
        }

        return new DatasetSplit("pixels", "train", ["a", "b", "c", "d", "e", "f", "g"], [], samples);
    }

    /// <summary>A cartoon frontal face that OpenCV's default Haar cascade detects, centred at (cx, cy) with scale s (1 = 140 x 180 px oval).</summary>
    public static void DrawFace(Mat image, double cx, double cy, double s)
    {
        Point P(double x, double y) => new((int)Math.Round(cx + (x * s)), (int)Math.Round(cy + (y * s)));
        Size S(double w, double h) => new((int)Math.Round(w * s), (int)Math.Round(h * s));
        Cv2.Ellipse(image, P(0, 5), S(70, 90), 0, 0, 360, new Scalar(150, 180, 220), -1);
        Cv2.Ellipse(image, P(-28, -15), S(14, 8), 0, 0, 360, new Scalar(40, 40, 40), -1);
        Cv2.Ellipse(image, P(28, -15), S(14, 8), 0, 0, 360, new Scalar(40, 40, 40), -1);
        Cv2.Line(image, P(-45, -32), P(-12, -34), new Scalar(30, 30, 30), Math.Max(1, (int)(5 * s)));
        Cv2.Line(image, P(12, -34), P(45, -32), new Scalar(30, 30, 30), Math.Max(1, (int)(5 * s)));
        Cv2.Ellipse(image, P(0, 20), S(8, 16), 0, 0, 360, new Scalar(110, 140, 190), -1);
        Cv2.Ellipse(image, P(0, 55), S(28, 9), 0, 0, 360, new Scalar(60, 60, 150), -1);
        var k = (2 * (int)Math.Max(1, 2 * s)) + 1;
        Cv2.GaussianBlur(image, image, new Size(k, k), 2 * s);
    }

    /// <summary>Writes a light gray photo with one drawn face (see <see cref="DrawFace"/>) to <paramref name="path"/>.</summary>
    public static void WriteFacePhoto(string path, int width, int height, double cx, double cy, double scale)
    {
        using var photo = new Mat(height, width, MatType.CV_8UC3, new Scalar(200, 200, 200));
        DrawFace(photo, cx, cy, scale);
        Cv2.ImWrite(path, photo);
    }

    /// <summary>The bytes of a continuous 8-bit Mat.</summary>
    public static byte[] Bytes(Mat m)
    {
        using var c = m.Clone();
        var bytes = new byte[c.Total() * c.ElemSize()];
        System.Runtime.InteropServices.Marshal.Copy(c.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>What the cache should hold for a file decoded and plainly resized: RGB bytes.</summary>
    public static byte[] ExpectedResizedRgb(string path, int size)
    {
        using var bgr = Cv2.ImRead(path, ImreadModes.Color);
        using var resized = new Mat();
        var shrink = size <= bgr.Cols && size <= bgr.Rows;
        Cv2.Resize(bgr, resized, new Size(size, size), 0, 0, shrink ? InterpolationFlags.Area : InterpolationFlags.Linear);
        using var rgb = new Mat();
        Cv2.CvtColor(resized, rgb, ColorConversionCodes.BGR2RGB);
        return Bytes(rgb);
    }
}
