using OpenCvSharp;

namespace UlcAg.Inference.Tests;

/// <summary>
/// Photos for the end-to-end tests, written in the formats and shapes users bring, with real faces
/// (photographs of tests/fixtures/real-faces pasted where the tests expect them).
/// </summary>
internal static class Photos
{
    // Two photographs whose face sits in their middle (BlazeFace's box centre within 2% of it).
    private const string Large = "Alvaro_Silva_Calderon_0001.jpg";
    private const string Small = "Dionyssis_Georgiadis_0001.jpg";

    /// <summary>A light gray 800 x 420 photo with a large face at (220, 210) and a smaller one at (590, 200).</summary>
    public static string TwoFaces(string path)
    {
        using var photo = new Mat(420, 800, MatType.CV_8UC3, new Scalar(200, 200, 200));
        Paste(photo, Large, 220, 210, 300);
        Paste(photo, Small, 590, 200, 200);
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
        using var photo = Face(360, 300, 200, 150, 220);
        using var converted = new Mat();
        Cv2.CvtColor(photo, converted, conversion);
        edit(converted);
        Cv2.ImWrite(path, converted);
        return path;
    }

    /// <summary>A light gray photo with one face centred at (cx, cy), pasted as a photograph of <paramref name="side"/> pixels.</summary>
    public static Mat Face(int width, int height, int cx, int cy, int side)
    {
        var photo = new Mat(height, width, MatType.CV_8UC3, new Scalar(200, 200, 200));
        Paste(photo, Large, cx, cy, side);
        return photo;
    }

    private static void Paste(Mat photo, string name, int cx, int cy, int side)
    {
        using var face = RealFaces.Compose(photo, [new RealFaces.Placement(Path.Combine(RealFaces.Folder, name), cx - (side / 2), cy - (side / 2), side)]);
        face.CopyTo(photo);
    }
}
