using OpenCvSharp;

namespace UlcAg.Inference.Tests;

/// <summary>Photos for the end-to-end tests, written in the formats and shapes users bring.</summary>
internal static class Photos
{
    /// <summary>A light gray 800 x 420 photo with a large face at (220, 210) and a smaller one at (590, 200).</summary>
    public static string TwoFaces(string path)
    {
        using var photo = new Mat(420, 800, MatType.CV_8UC3, new Scalar(200, 200, 200));
        FaceTestImages.DrawFace(photo, 220, 210, 1.0);
        FaceTestImages.DrawFace(photo, 590, 200, 0.8);
        Cv2.ImWrite(path, photo);
        return path;
    }

    /// <summary>One face at (200, 150) on a 360 x 300 canvas, written as 8-bit gray.</summary>
    public static string GrayFace(string path) => SmallFace(path, ColorConversionCodes.BGR2GRAY, _ => { });

    /// <summary>One face at (200, 150) on a 360 x 300 canvas, written as BGRA with a transparent left column.</summary>
    public static string FaceWithAlpha(string path) => SmallFace(path, ColorConversionCodes.BGR2BGRA, bgra =>
    {
        using var edge = bgra.Col(0);
        edge.SetTo(new Scalar(0, 0, 0, 0));
    });

    /// <summary>A plain photo with nothing face-like in it.</summary>
    public static string NoFace(string path)
    {
        using var photo = new Mat(240, 320, MatType.CV_8UC3, new Scalar(90, 160, 60));
        Cv2.Rectangle(photo, new Rect(40, 40, 100, 60), new Scalar(20, 20, 200), -1);
        Cv2.ImWrite(path, photo);
        return path;
    }

    /// <summary>A solid colour image (BGR).</summary>
    public static string Solid(string path, Scalar bgr, int width = 40, int height = 30)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = new Mat(height, width, MatType.CV_8UC3, bgr);
        Cv2.ImWrite(path, image);
        return path;
    }

    private static string SmallFace(string path, ColorConversionCodes conversion, Action<Mat> edit)
    {
        using var photo = Face(360, 300, 200, 150, 1.0);
        using var converted = new Mat();
        Cv2.CvtColor(photo, converted, conversion);
        edit(converted);
        Cv2.ImWrite(path, converted);
        return path;
    }

    public static Mat Face(int width, int height, double cx, double cy, double scale)
    {
        var photo = new Mat(height, width, MatType.CV_8UC3, new Scalar(200, 200, 200));
        FaceTestImages.DrawFace(photo, cx, cy, scale);
        return photo;
    }
}
