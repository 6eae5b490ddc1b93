using System.Globalization;
using OpenCvSharp;

namespace UlcAg.Inference.Video;

/// <summary>How an annotated video's frames are drawn: one function, over the image annotation.</summary>
public static class FrameDrawing
{
    /// <summary>
    /// Draws <paramref name="faces"/> onto <paramref name="frame"/> in place: the image annotation's
    /// boxes and labels (<see cref="Annotator.Draw"/>), and each face's track id under its box.
    /// </summary>
    public static void Draw(Mat frame, IReadOnlyList<TrackedFace> faces)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(faces);
        var result = new ImageResult(new InputImage("", ""), faces.Count > 0 ? ImageStatus.Ok : ImageStatus.NoFace, frame.Cols, frame.Rows, [.. faces.Select(f => f.Face)]);
        Annotator.Draw(frame, result);
        var fontScale = Math.Clamp(Math.Min(frame.Cols, frame.Rows) / 900.0, 0.35, 2.0);
        var thickness = Math.Max(1, Math.Min(frame.Cols, frame.Rows) / 400);
        foreach (var face in faces)
        {
            if (face.Face.Box is not { } box)
            {
                continue;
            }

            var text = string.Create(CultureInfo.InvariantCulture, $"id {face.TrackId}");
            var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, fontScale, thickness, out var baseline);
            var x = Math.Clamp((int)Math.Round(box.X), 0, Math.Max(0, frame.Cols - size.Width - 4));
            var y = Math.Clamp((int)Math.Round(box.Y + box.Height), 0, Math.Max(0, frame.Rows - size.Height - baseline - 4));
            Cv2.Rectangle(frame, new Rect(x, y, size.Width + 4, size.Height + baseline + 4), Scalar.Black, -1);
            Cv2.PutText(frame, text, new Point(x + 2, y + 2 + size.Height), HersheyFonts.HersheySimplex, fontScale, Scalar.White, thickness, LineTypes.AntiAlias);
        }
    }
}
