using System.Globalization;
using OpenCvSharp;

namespace UlcAg.Inference.Video;

/// <summary>How an annotated video's frames are drawn: one function, over the image annotation.</summary>
public static class FrameDrawing
{
    /// <summary>
    /// Draws <paramref name="faces"/> onto <paramref name="frame"/> in place with the image annotation
    /// (<see cref="Annotator.Draw(Mat, IReadOnlyList{FaceResult}, IReadOnlyList{string}, Func{int, string}?, bool)"/>:
    /// boxes, labels clear of each other, the legend of <paramref name="classes"/> in a fixed corner on every
    /// frame), each label naming the face's track id.
    /// </summary>
    public static void Draw(Mat frame, IReadOnlyList<TrackedFace> faces, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(faces);
        Annotator.Draw(frame, [.. faces.Select(f => f.Face)], classes, i => string.Create(CultureInfo.InvariantCulture, $"id {faces[i].TrackId}"), fixedLegend: true);
    }
}
