using System.Globalization;
using OpenCvSharp;
using UlcAg.Data.Faces;

namespace UlcAg.Inference;

/// <summary>Draws each face's box and "expression probability" label onto the image and writes it.</summary>
public static class Annotator
{
    /// <summary>Output extensions OpenCV can encode.</summary>
    public static IReadOnlySet<string> WritableExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff",
    };

    // One colour per class index (BGR), distinct on photos and in gray print.
    private static readonly Scalar[] Palette =
    [
        new(60, 180, 75), new(48, 130, 245), new(180, 30, 145), new(25, 225, 255),
        new(230, 50, 240), new(200, 130, 0), new(75, 25, 230), new(128, 128, 0),
    ];

    /// <summary>Draws <paramref name="result"/>'s faces onto <paramref name="bgr"/> in place.</summary>
    public static void Draw(Mat bgr, ImageResult result)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ArgumentNullException.ThrowIfNull(result);
        var side = Math.Min(bgr.Cols, bgr.Rows);
        var thickness = Math.Max(1, side / 250);
        var fontScale = Math.Clamp(side / 700.0, 0.35, 3.0);
        if (result.Status == ImageStatus.NoFace)
        {
            Label(bgr, "no face found", new Point(0, 0), new Scalar(0, 0, 200), fontScale, thickness, below: true);
            return;
        }

        for (var i = 0; i < result.Faces.Count; i++)
        {
            var face = result.Faces[i];
            var color = Palette[face.Prediction.ClassIndex % Palette.Length];
            var text = string.Create(CultureInfo.InvariantCulture, $"{i + 1} {face.Prediction.Label} {face.Prediction.Confidence * 100:F0}%");
            if (face.Box is { } box)
            {
                var rect = new Rect((int)Math.Round(box.X), (int)Math.Round(box.Y), (int)Math.Round(box.Width), (int)Math.Round(box.Height));
                Cv2.Rectangle(bgr, rect, color, thickness * 2, LineTypes.AntiAlias);
                Label(bgr, text, rect.TopLeft, color, fontScale, thickness, below: false);
            }
            else
            {
                Cv2.Rectangle(bgr, new Rect(0, 0, bgr.Cols, bgr.Rows), color, thickness * 2);
                Label(bgr, text, new Point(0, 0), color, fontScale, thickness, below: true);
            }
        }
    }

    /// <summary>Decodes the result's image again, draws on it, and writes it atomically to <paramref name="outputPath"/> (format from its extension).</summary>
    /// <exception cref="ImageDecodeException">The source image cannot be read any more.</exception>
    /// <exception cref="IOException">The output cannot be written; the message names it.</exception>
    public static void Write(ImageResult result, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(outputPath);
        var extension = Path.GetExtension(outputPath);
        if (!WritableExtensions.Contains(extension))
        {
            throw new IOException($"Cannot write '{outputPath}': expected one of {string.Join(", ", WritableExtensions)} as its extension.");
        }

        using var bgr = ImageDecoder.DecodeFile(result.Input.Path);
        Draw(bgr, result);
        var bytes = bgr.ImEncode(extension);
        var full = Path.GetFullPath(outputPath);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Nothing was written if the folder refuses even that.
            }
            // The system's message names the temporary file; the user asked for outputPath.
            var reason = e is UnauthorizedAccessException ? "permission denied" : e.Message.Replace(temp, full, StringComparison.Ordinal);
            throw new IOException($"Cannot write '{outputPath}': {reason}", e);
        }
    }

    private static void Label(Mat bgr, string text, Point anchor, Scalar color, double fontScale, int thickness, bool below)
    {
        var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, fontScale, thickness, out var baseline);
        var pad = Math.Max(2, thickness * 2);
        var height = size.Height + baseline + (2 * pad);
        // Above the box when there is room, else inside it; always within the image horizontally.
        var top = below || anchor.Y - height < 0 ? anchor.Y : anchor.Y - height;
        var left = Math.Clamp(anchor.X, 0, Math.Max(0, bgr.Cols - size.Width - (2 * pad)));
        Cv2.Rectangle(bgr, new Rect(left, top, size.Width + (2 * pad), height), color, -1);
        var ink = (0.299 * color.Val2) + (0.587 * color.Val1) + (0.114 * color.Val0) > 140 ? Scalar.Black : Scalar.White;
        Cv2.PutText(bgr, text, new Point(left + pad, top + pad + size.Height), HersheyFonts.HersheySimplex, fontScale, ink, thickness, LineTypes.AntiAlias);
    }
}
