using OpenCvSharp;
using UlcAg.Inference.Video;

namespace UlcAg.Inference.Tests;

[TestClass]
public sealed class FrameDrawingTests
{
    [TestMethod]
    public void TheLegendStaysInOneCornerOnEveryFrameWithOrWithoutFaces()
    {
        const int width = 640, height = 360;
        using var empty = new Mat(height, width, MatType.CV_8UC3, Scalar.Black);
        using var withFaces = new Mat(height, width, MatType.CV_8UC3, Scalar.Black);
        FrameDrawing.Draw(empty, [], ContractModels.Expressions);
        // Faces in every corner but the bottom-right one would pull a per-picture legend elsewhere.
        FrameDrawing.Draw(withFaces, [
            new TrackedFace(1, AnnotationLayoutTests.Face(new Rect(10, 10, 120, 120), 0)),
            new TrackedFace(2, AnnotationLayoutTests.Face(new Rect(500, 10, 130, 130), 3)),
            new TrackedFace(3, AnnotationLayoutTests.Face(new Rect(20, 200, 110, 110), 5)),
        ], ContractModels.Expressions);

        using var emptyGray = empty.CvtColor(ColorConversionCodes.BGR2GRAY);
        var drawn = Cv2.BoundingRect(emptyGray.FindNonZero());
        Assert.IsTrue(drawn.Width > 0 && drawn.X > width / 2 && drawn.Y > height / 2, $"legend at {drawn}, expected the bottom-right corner");
        // The same legend pixels on both frames (labels keep clear of it).
        using var a = new Mat(empty, drawn);
        using var b = new Mat(withFaces, drawn);
        using var diff = new Mat();
        Cv2.Absdiff(a, b, diff);
        Assert.AreEqual(0, Cv2.CountNonZero(diff.CvtColor(ColorConversionCodes.BGR2GRAY)), "the legend differs between frames");
    }
}
