using OpenCvSharp;

namespace UlcAg.Inference;

/// <summary>
/// Where an annotated picture's labels and legend go: pure geometry, face boxes and label sizes in,
/// rectangles out, so that <see cref="Annotator"/> only draws. Every rectangle placed lies inside
/// the image, and no two of them (labels and legend) overlap.
/// </summary>
/// <remarks>
/// Labels are placed one after another in the order given (largest face first), each at the first
/// free place of: above its box, below it, inside its top edge (all shifted sideways into the
/// image); else at the free place nearest to the top of its box among the places that touch an
/// image edge, its box or a label already placed (a free rectangle can always slide until it
/// touches one of them, so this finds room wherever there is any). Places that cover another face
/// are taken only when nothing else is free. A label with no room at all is left out (null).
/// </remarks>
public static class AnnotationLayout
{
    /// <summary>The smallest label font scale (OpenCV Hershey scale: about 10 pixels of text height).</summary>
    public const double MinLabelScale = 0.45;

    /// <summary>The largest label font scale.</summary>
    public const double MaxLabelScale = 3.0;

    /// <summary>Face side, in pixels, per unit of font scale: a 250-pixel face gets scale 1 (text about 22 px high).</summary>
    public const double FaceSidePerScale = 250;

    /// <summary>The font scale of a face's label: proportional to the face's side, within <see cref="MinLabelScale"/>..<see cref="MaxLabelScale"/>.</summary>
    public static double LabelScale(double faceSide) =>
        Math.Clamp(faceSide / FaceSidePerScale, MinLabelScale, MaxLabelScale);

    /// <summary>The legend's font scale: from the image's shorter side, 0.45 up to 1.5 (900 pixels per unit).</summary>
    public static double LegendScale(int width, int height) => Math.Clamp(Math.Min(width, height) / 900.0, MinLabelScale, 1.5);

    /// <summary>Index of the bottom-right corner for <see cref="PlaceLegend"/>'s <c>fixedCorner</c>.</summary>
    public const int BottomRight = 1;

    /// <summary>
    /// The legend's place: the corner (top right, bottom right, bottom left, top left, in that order
    /// of preference) whose rectangle covers the least face area, or the given <paramref name="fixedCorner"/>
    /// (an index in that order); null when it does not fit the image.
    /// </summary>
    public static Rect? PlaceLegend(int width, int height, Size legend, IReadOnlyList<Rect> faces, int? fixedCorner = null)
    {
        ArgumentNullException.ThrowIfNull(faces);
        if (legend.Width <= 0 || legend.Height <= 0 || legend.Width > width || legend.Height > height)
        {
            return null;
        }

        Rect[] corners =
        [
            new(width - legend.Width, 0, legend.Width, legend.Height),
            new(width - legend.Width, height - legend.Height, legend.Width, legend.Height),
            new(0, height - legend.Height, legend.Width, legend.Height),
            new(0, 0, legend.Width, legend.Height),
        ];
        if (fixedCorner is { } chosen)
        {
            return corners[chosen];
        }

        var best = corners[0];
        var bestCover = long.MaxValue;
        foreach (var corner in corners)
        {
            long cover = 0;
            foreach (var face in faces)
            {
                cover += Area(corner & face);
            }

            if (cover < bestCover)
            {
                (best, bestCover) = (corner, cover);
            }
        }

        return best;
    }

    /// <summary>Places one label per face; see the class remarks for the rule.</summary>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="faces">Each face's box in image pixels (may reach past the image).</param>
    /// <param name="labels">Each face's label size, in the same order.</param>
    /// <param name="reserved">Rectangles labels must not overlap, such as the legend.</param>
    /// <returns>Each label's rectangle, or null where there was no room.</returns>
    public static Rect?[] PlaceLabels(int width, int height, IReadOnlyList<Rect> faces, IReadOnlyList<Size> labels, IReadOnlyList<Rect>? reserved = null)
    {
        ArgumentNullException.ThrowIfNull(faces);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (faces.Count != labels.Count)
        {
            throw new ArgumentException($"{faces.Count} faces but {labels.Count} label sizes", nameof(labels));
        }

        var taken = new List<Rect>(reserved ?? []);
        var placed = new Rect?[faces.Count];
        for (var i = 0; i < faces.Count; i++)
        {
            var size = labels[i];
            if (size.Width <= 0 || size.Height <= 0 || size.Width > width || size.Height > height)
            {
                continue;
            }

            var others = faces.Where((_, j) => j != i).ToList();
            var spot = Find(width, height, faces[i], size, taken, others) ?? Find(width, height, faces[i], size, taken, []);
            if (spot is { } r)
            {
                placed[i] = r;
                taken.Add(r);
            }
        }

        return placed;
    }

    private static Rect? Find(int width, int height, Rect box, Size size, List<Rect> taken, List<Rect> avoid)
    {
        var (w, h) = (size.Width, size.Height);
        bool Free(Rect r) => !taken.Any(t => Overlaps(t, r)) && !avoid.Any(a => Overlaps(a, r));
        Rect At(int x, int y) => new(Math.Clamp(x, 0, width - w), Math.Clamp(y, 0, height - h), w, h);

        // Above, below (where the picture has room), inside the top edge: left-aligned with the box, shifted sideways into the picture.
        foreach (var y in (ReadOnlySpan<int>)[box.Y - h, box.Bottom, Math.Max(box.Y, 0)])
        {
            var r = At(box.X, y);
            if (r.Y == y && Free(r))
            {
                return r;
            }
        }

        // Every place touching an image edge, the box, or a taken rectangle, nearest to the box's top first.
        var xs = new List<int> { box.X, box.Right - w, box.X + ((box.Width - w) / 2), 0, width - w };
        var ys = new List<int> { box.Y - h, box.Bottom, box.Y, 0, height - h };
        foreach (var t in taken)
        {
            xs.Add(t.Right);
            xs.Add(t.X - w);
            ys.Add(t.Bottom);
            ys.Add(t.Y - h);
        }

        var anchorX = box.X + (box.Width / 2.0);
        var anchorY = (double)box.Y;
        Rect? best = null;
        var bestDistance = double.MaxValue;
        foreach (var x in xs.Where(x => x >= 0 && x <= width - w).Distinct())
        {
            foreach (var y in ys.Where(y => y >= 0 && y <= height - h).Distinct())
            {
                var r = new Rect(x, y, w, h);
                var dx = x + (w / 2.0) - anchorX;
                var dy = y + (h / 2.0) - anchorY;
                var distance = (dx * dx) + (dy * dy);
                if (distance < bestDistance && Free(r))
                {
                    (best, bestDistance) = (r, distance);
                }
            }
        }

        return best;
    }

    /// <summary>True when the two rectangles share at least one pixel.</summary>
    public static bool Overlaps(Rect a, Rect b) =>
        a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom;

    private static long Area(Rect r) => r.Width > 0 && r.Height > 0 ? (long)r.Width * r.Height : 0;
}
