using OpenCvSharp;

namespace UlcAg.Inference.Tests;

/// <summary>
/// A short video the tests write themselves (Motion JPEG in AVI, which OpenCV encodes without any
/// codec of the system): real face photographs of tests/fixtures/real-faces on a gray background,
/// one moving across the frames, a second one appearing later, and faceless frames at the end.
/// </summary>
internal static class TestVideos
{
    public const int Width = 640;
    public const int Height = 360;
    public const double Fps = 10;
    public const int Frames = 30;

    /// <summary>Frames from this index on show no face.</summary>
    public const int FirstEmptyFrame = 24;

    /// <summary>Frames from this index (until <see cref="FirstEmptyFrame"/>) show the second face.</summary>
    public const int SecondFaceFrom = 10;

    /// <summary>Side of the moving face.</summary>
    public const int MovingSide = 150;

    private const string MovingFace = "Alvaro_Silva_Calderon_0001.jpg";
    private const string StillFace = "Dionyssis_Georgiadis_0001.jpg";

    /// <summary>Centre of the moving face in frame <paramref name="i"/>: 8 pixels right per frame.</summary>
    public static Point MovingCentre(int i) => new(130 + (i * 8), 180);

    /// <summary>Centre of the second face.</summary>
    public static Point StillCentre => new(500, 170);

    /// <summary>Writes the video to <paramref name="path"/> (Motion JPEG in .avi, or <paramref name="codec"/>) and returns the path.</summary>
    public static string TwoPeople(string path, string codec = "MJPG")
    {
        using var writer = new VideoWriter(path, FourCC.FromString(codec), Fps, new Size(Width, Height));
        if (!writer.IsOpened())
        {
            throw new InvalidOperationException($"OpenCV cannot write {path}");
        }

        for (var i = 0; i < Frames; i++)
        {
            using var frame = Frame(i);
            writer.Write(frame);
        }

        return path;
    }

    /// <summary>Frame <paramref name="i"/> of <see cref="TwoPeople"/>.</summary>
    public static Mat Frame(int i)
    {
        using var background = new Mat(Height, Width, MatType.CV_8UC3, new Scalar(200, 200, 200));
        var faces = new List<RealFaces.Placement>();
        if (i < FirstEmptyFrame)
        {
            var c = MovingCentre(i);
            faces.Add(new RealFaces.Placement(Path.Combine(RealFaces.Folder, MovingFace), c.X - (MovingSide / 2), c.Y - (MovingSide / 2), MovingSide));
            if (i >= SecondFaceFrom)
            {
                faces.Add(new RealFaces.Placement(Path.Combine(RealFaces.Folder, StillFace), StillCentre.X - 65, StillCentre.Y - 65, 130));
            }
        }

        return RealFaces.Compose(background, faces);
    }

    /// <summary>Frames and size of a video as OpenCV decodes it, counting every frame read.</summary>
    public static (int Frames, int Width, int Height) Measure(string path)
    {
        using var capture = new VideoCapture(path);
        Assert.IsTrue(capture.IsOpened(), $"{path} does not open");
        using var frame = new Mat();
        var (count, width, height) = (0, 0, 0);
        while (capture.Read(frame) && !frame.Empty())
        {
            count++;
            (width, height) = (frame.Cols, frame.Rows);
        }

        return (count, width, height);
    }
}
