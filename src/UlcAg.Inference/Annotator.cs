using System.Globalization;
using OpenCvSharp;
using UlcAg.Data.Faces;

namespace UlcAg.Inference;

/// <summary>
/// Draws faces and their expressions onto a picture: each face's box and a label "n Expression p%"
/// in its class's color, the label's text scaled with the face (<see cref="AnnotationLayout.LabelScale"/>)
/// and placed where it overlaps no other label and stays inside the picture (<see cref="AnnotationLayout"/>),
/// and a legend of every class's color. <see cref="Draw(Mat, IReadOnlyList{FaceResult}, IReadOnlyList{string}, Func{int, string}?, bool)"/>
/// draws on any frame; <see cref="Write"/> decodes a photo again, draws and writes it.
/// </summary>
public static class Annotator
{
    /// <summary>Output extensions OpenCV can encode.</summary>
    public static IReadOnlySet<string> WritableExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff",
    };

    // Colours for up to eight classes (BGR), distinct on photos and in gray print; more classes get evenly spaced hues.
    private static readonly Scalar[] Palette =
    [
        new(60, 180, 75), new(48, 130, 245), new(180, 30, 145), new(25, 225, 255),
        new(240, 240, 70), new(200, 130, 0), new(75, 25, 230), new(128, 128, 0),
    ];

    private const HersheyFonts Font = HersheyFonts.HersheySimplex;

    /// <summary>The colour (BGR) of class <paramref name="classIndex"/> among <paramref name="classCount"/>; distinct for every class.</summary>
    public static Scalar ClassColor(int classIndex, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, Math.Max(classCount, 1));
        if (classCount <= Palette.Length)
        {
            return Palette[classIndex];
        }

        // Hues spread by the golden angle stay apart however many classes there are (OpenCV hue: 0..180).
        using var hsv = new Mat(1, 1, MatType.CV_8UC3, new Scalar((classIndex * 137.508 / 2) % 180, 200, 230));
        using var bgr = new Mat();
        Cv2.CvtColor(hsv, bgr, ColorConversionCodes.HSV2BGR);
        var v = bgr.At<Vec3b>(0, 0);
        return new Scalar(v.Item0, v.Item1, v.Item2);
    }

    /// <summary>Draws <paramref name="result"/>'s faces and the legend of <paramref name="classes"/> onto <paramref name="bgr"/> in place.</summary>
    public static void Draw(Mat bgr, ImageResult result, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Status == ImageStatus.NoFace)
        {
            var scale = AnnotationLayout.LegendScale(bgr.Cols, bgr.Rows);
            var (size, pad, thickness) = Measure("no face found", scale);
            DrawLabel(bgr, "no face found", new Rect(0, 0, Math.Min(size.Width, bgr.Cols), Math.Min(size.Height, bgr.Rows)), new Scalar(0, 0, 200), scale, pad, thickness);
            return;
        }

        Draw(bgr, result.Faces, classes);
    }

    /// <summary>
    /// Draws faces onto a frame in place: boxes, labels and the legend. Reusable for any picture, such as
    /// the frames of a video.
    /// </summary>
    /// <param name="bgr">An 8-bit BGR picture.</param>
    /// <param name="faces">The faces found in it (a face without a box covers the whole picture).</param>
    /// <param name="classes">The model's classes, for the legend and the colours.</param>
    /// <param name="faceName">The name a label starts with, by face index (default: 1, 2, 3, ...; a video may pass track ids).</param>
    /// <param name="fixedLegend">
    /// Draw the legend in the bottom-right corner on every picture, faces or not (video frames, where a
    /// legend that moved with the faces or came and went would flicker); otherwise it takes the corner
    /// that covers the least face area, on pictures with faces.
    /// </param>
    public static void Draw(Mat bgr, IReadOnlyList<FaceResult> faces, IReadOnlyList<string> classes, Func<int, string>? faceName = null, bool fixedLegend = false)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ArgumentNullException.ThrowIfNull(faces);
        ArgumentNullException.ThrowIfNull(classes);
        faceName ??= i => (i + 1).ToString(CultureInfo.InvariantCulture);
        var boxes = new Rect[faces.Count];
        var texts = new string[faces.Count];
        var scales = new double[faces.Count];
        var sizes = new Size[faces.Count];
        var pads = new int[faces.Count];
        var thicknesses = new int[faces.Count];
        for (var i = 0; i < faces.Count; i++)
        {
            var face = faces[i];
            boxes[i] = face.Box is { } box
                ? new Rect((int)Math.Round(box.X), (int)Math.Round(box.Y), (int)Math.Round(box.Width), (int)Math.Round(box.Height))
                : new Rect(0, 0, bgr.Cols, bgr.Rows);
            texts[i] = string.Create(CultureInfo.InvariantCulture, $"{faceName(i)} {face.Prediction.Label} {face.Prediction.Confidence * 100:F0}%");
            scales[i] = AnnotationLayout.LabelScale(Math.Min(boxes[i].Width, boxes[i].Height));
            (sizes[i], pads[i], thicknesses[i]) = Measure(texts[i], scales[i]);
        }

        // The legend first, so that labels keep clear of it.
        var legendScale = AnnotationLayout.LegendScale(bgr.Cols, bgr.Rows);
        var legend = MeasureLegend(classes, legendScale);
        var legendPlace = fixedLegend ? AnnotationLayout.PlaceLegend(bgr.Cols, bgr.Rows, legend.Size, [], AnnotationLayout.BottomRight)
            : faces.Count > 0 ? AnnotationLayout.PlaceLegend(bgr.Cols, bgr.Rows, legend.Size, boxes) : null;
        var reserved = legendPlace is { } l ? new List<Rect> { l } : [];
        var places = AnnotationLayout.PlaceLabels(bgr.Cols, bgr.Rows, boxes, sizes, reserved);

        // Labels with no room at their size try again at the smallest, around the ones placed.
        var retry = Enumerable.Range(0, faces.Count).Where(i => places[i] is null && scales[i] > AnnotationLayout.MinLabelScale).ToList();
        if (retry.Count > 0)
        {
            reserved.AddRange(places.OfType<Rect>());
            foreach (var i in retry)
            {
                scales[i] = AnnotationLayout.MinLabelScale;
                (sizes[i], pads[i], thicknesses[i]) = Measure(texts[i], scales[i]);
            }

            var second = AnnotationLayout.PlaceLabels(bgr.Cols, bgr.Rows, [.. retry.Select(i => boxes[i])], [.. retry.Select(i => sizes[i])], reserved);
            for (var k = 0; k < retry.Count; k++)
            {
                places[retry[k]] = second[k];
            }
        }

        for (var i = 0; i < faces.Count; i++)
        {
            var color = ClassColor(faces[i].Prediction.ClassIndex, Math.Max(classes.Count, faces[i].Prediction.ClassIndex + 1));
            Cv2.Rectangle(bgr, boxes[i], color, Math.Max(2, thicknesses[i] + 1), LineTypes.AntiAlias);
        }

        for (var i = 0; i < faces.Count; i++)
        {
            if (places[i] is not { } place)
            {
                continue;
            }

            var color = ClassColor(faces[i].Prediction.ClassIndex, Math.Max(classes.Count, faces[i].Prediction.ClassIndex + 1));
            Leader(bgr, place, boxes[i], color, thicknesses[i]);
            DrawLabel(bgr, texts[i], place, color, scales[i], pads[i], thicknesses[i]);
        }

        if (legendPlace is { } at)
        {
            DrawLegend(bgr, classes, legend, at, legendScale);
        }
    }

    /// <summary>Decodes the result's image again, draws on it (with the legend of <paramref name="classes"/>), and writes it atomically to <paramref name="outputPath"/> (format from its extension).</summary>
    /// <exception cref="ImageDecodeException">The source image cannot be read any more.</exception>
    /// <exception cref="IOException">The output cannot be written; the message names it.</exception>
    public static void Write(ImageResult result, IReadOnlyList<string> classes, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(outputPath);
        var extension = Path.GetExtension(outputPath);
        if (!WritableExtensions.Contains(extension))
        {
            throw new IOException($"Cannot write '{outputPath}': expected one of {string.Join(", ", WritableExtensions)} as its extension.");
        }

        using var bgr = ImageDecoder.DecodeFile(result.Input.Path);
        Draw(bgr, result, classes);
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

    // Text size plus padding, the padding, and the stroke thickness for a font scale.
    private static (Size Size, int Pad, int Thickness) Measure(string text, double scale)
    {
        var thickness = Math.Max(1, (int)Math.Round(scale * 1.6));
        var size = Cv2.GetTextSize(text, Font, scale, thickness, out var baseline);
        var pad = Math.Max(2, (int)Math.Round(scale * 4));
        return (new Size(size.Width + (2 * pad), size.Height + baseline + (2 * pad)), pad, thickness);
    }

    private static void DrawLabel(Mat bgr, string text, Rect place, Scalar color, double scale, int pad, int thickness)
    {
        Cv2.Rectangle(bgr, place, color, -1);
        var size = Cv2.GetTextSize(text, Font, scale, thickness, out _);
        Cv2.PutText(bgr, text, new Point(place.X + pad, place.Y + pad + size.Height), Font, scale, Ink(color), thickness, LineTypes.AntiAlias);
    }

    // A thin line from a label to its box when the label had to move away from it.
    private static void Leader(Mat bgr, Rect label, Rect box, Scalar color, int thickness)
    {
        var near = new Point(Math.Clamp(label.X + (label.Width / 2), box.X, box.Right), Math.Clamp(label.Y + (label.Height / 2), box.Y, box.Bottom));
        var from = new Point(Math.Clamp(near.X, label.X, label.Right), Math.Clamp(near.Y, label.Y, label.Bottom));
        if (Math.Abs(from.X - near.X) + Math.Abs(from.Y - near.Y) > 2)
        {
            Cv2.Line(bgr, from, near, color, Math.Max(1, thickness), LineTypes.AntiAlias);
        }
    }

    // The legend: one row per class, a colour swatch and the class name, on a dark panel.
    private static (Size Size, int Row, int Pad, int Thickness) MeasureLegend(IReadOnlyList<string> classes, double scale)
    {
        var thickness = Math.Max(1, (int)Math.Round(scale * 1.6));
        var pad = Math.Max(3, (int)Math.Round(scale * 6));
        var row = 0;
        var widest = 0;
        foreach (var name in classes)
        {
            var size = Cv2.GetTextSize(name, Font, scale, thickness, out var baseline);
            row = Math.Max(row, size.Height + baseline + pad);
            widest = Math.Max(widest, size.Width);
        }

        return (new Size(pad + row + pad + widest + pad, pad + (row * classes.Count)), row, pad, thickness);
    }

    private static void DrawLegend(Mat bgr, IReadOnlyList<string> classes, (Size Size, int Row, int Pad, int Thickness) legend, Rect at, double scale)
    {
        using (var panel = new Mat(bgr, at))
        {
            // Darken what lies under the panel rather than hide it.
            panel.ConvertTo(panel, -1, 0.35, 0);
        }

        for (var c = 0; c < classes.Count; c++)
        {
            var top = at.Y + legend.Pad + (c * legend.Row);
            var swatch = new Rect(at.X + legend.Pad, top, legend.Row - legend.Pad, legend.Row - legend.Pad);
            Cv2.Rectangle(bgr, swatch, ClassColor(c, classes.Count), -1);
            var size = Cv2.GetTextSize(classes[c], Font, scale, legend.Thickness, out _);
            var baselineY = top + ((legend.Row - legend.Pad + size.Height) / 2);
            Cv2.PutText(bgr, classes[c], new Point(swatch.Right + legend.Pad, baselineY), Font, scale, Scalar.White, legend.Thickness, LineTypes.AntiAlias);
        }
    }

    // Black or white text, whichever reads better on the colour.
    private static Scalar Ink(Scalar color) =>
        (0.299 * color.Val2) + (0.587 * color.Val1) + (0.114 * color.Val0) > 140 ? Scalar.Black : Scalar.White;
}
