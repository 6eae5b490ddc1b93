using System.Diagnostics.CodeAnalysis;
using OpenCvSharp;

namespace UlcAg.Data.Faces;

/// <summary>
/// Where <see cref="BlazeFaceDetector"/> runs its model on an image: an image pyramid whose finer
/// levels are cut into overlapping tiles of the model's input size.
/// </summary>
/// <remarks>
/// One BlazeFace pass finds faces whose box is between about 22 pixels and two thirds of its input,
/// so a face of 3% of a 1920-pixel photo (58 px) shrinks to 8 px when the whole photo is squeezed
/// into 256 and is lost. The levels:
/// <code>
///   level 0   whole image, longer side = WholeSide, centred in one input (black around it)
///   level 1   image x r      S x S tiles, neighbours overlapping by 22 r 1.25 px + 2 margins
///   ...
///   level n   image x r^n    = the scale at which the smallest face sought is 22 px
/// </code>
/// with the ratio r between levels at most 2, so a face too small for level k - 1 (under 22 px
/// there) is at most 22 r px at level k. The tiles of a level overlap by a bit more than that plus
/// an edge margin on both sides, so each such face lies wholly inside some tile, with context
/// around it. A detection that reaches an inner tile edge (a cut face) is dropped: the tile that
/// holds the whole face reports it, or for larger faces a coarser level. Larger faces that a tile
/// holds whole are kept too (a coarser level may score them too low), and the parts of close-ups
/// that a tile mistakes for faces are removed after the merge (<see cref="WeightedNms.DropNested"/>).
/// Tiles rather than a bigger input: the models have a fixed input size and batch 1.
/// </remarks>
internal static class BlazeFacePyramid
{
    /// <summary>Largest scale step between levels.</summary>
    public const double MaxRatio = 2.0;

    /// <summary>Tiles overlap by a face this factor above the size the level below can no longer find.</summary>
    private const double Slack = 1.25;

    /// <summary>Context kept between a face box and an inner tile edge, as a fraction of the level's largest face.</summary>
    private const double EdgeMarginFraction = 0.15;

    /// <summary>The levels for a <paramref name="width"/> x <paramref name="height"/> image.</summary>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="model">The model's input size and range.</param>
    /// <param name="minFaceFraction">Smallest face box sought, as a fraction of the image's longer side; never below the model's smallest box at full resolution.</param>
    public static IReadOnlyList<Level> Plan(int width, int height, BlazeFaceModelRange model, float minFaceFraction)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"{width} x {height}", "image must not be empty");
        }

        var longer = Math.Max(width, height);
        var whole = (double)model.WholeSide / longer;
        var levels = new List<Level> { Build(width, height, whole, model.InputSize, maxBox: float.PositiveInfinity, margin: 0) };

        // The finest scale makes the smallest face sought model.MinBox pixels, without enlarging the image.
        var finest = Math.Min(1.0, model.MinBox / Math.Max(1e-6, minFaceFraction * longer));
        if (finest <= whole * 1.05)
        {
            return levels;
        }

        var steps = (int)Math.Ceiling(Math.Log(finest / whole) / Math.Log(MaxRatio));
        var ratio = Math.Pow(finest / whole, 1.0 / steps);
        var maxBox = (float)(model.MinBox * ratio * Slack);
        var margin = (float)(EdgeMarginFraction * maxBox);
        for (var k = 1; k <= steps; k++)
        {
            var scale = k == steps ? finest : whole * Math.Pow(ratio, k);
            levels.Add(Build(width, height, scale, model.InputSize, maxBox, margin));
        }

        return levels;
    }

    private static Level Build(int width, int height, double scale, int input, float maxBox, float margin)
    {
        var w = Math.Max(1, (int)Math.Round(width * scale));
        var h = Math.Max(1, (int)Math.Round(height * scale));
        var overlap = (int)Math.Ceiling(maxBox + (2 * margin));
        var tiles = new List<Rect>();
        foreach (var y in Starts(h, input, overlap))
        {
            foreach (var x in Starts(w, input, overlap))
            {
                tiles.Add(new Rect(x, y, Math.Min(input, w), Math.Min(input, h)));
            }
        }

        return new Level(w, h, (float)width / w, (float)height / h, tiles, maxBox, margin);
    }

    // Tile starts along one side: one tile when it fits, else the fewest evenly spread tiles that
    // overlap by at least `overlap`.
    private static IEnumerable<int> Starts(int extent, int input, int overlap)
    {
        if (extent <= input)
        {
            yield return 0;
            yield break;
        }

        var step = Math.Max(1, input - overlap);
        var count = (int)Math.Ceiling((double)(extent - input) / step) + 1;
        for (var i = 0; i < count; i++)
        {
            yield return (int)Math.Round((double)i * (extent - input) / (count - 1));
        }
    }

    /// <summary>
    /// One pyramid level: the image resized to <see cref="Width"/> x <see cref="Height"/> (one level
    /// pixel is <see cref="ToImageX"/> x <see cref="ToImageY"/> image pixels), its tiles in level
    /// pixels (each at most the model input; smaller ones are centred in it), the largest face box
    /// that always lies wholly inside some tile (infinite for level 0, a single input) and the margin
    /// a face keeps from inner tile edges.
    /// </summary>
    internal sealed record Level(int Width, int Height, float ToImageX, float ToImageY, IReadOnlyList<Rect> Tiles, float MaxBox, float EdgeMargin)
    {
        /// <summary>True when the tile's left edge lies inside the level image, not on its border (likewise the others).</summary>
        [SuppressMessage("Performance", "CA1822", Justification = "an instance member like InnerRight and InnerBottom, which read the level's size")]
        public bool InnerLeft(Rect tile) => tile.X > 0;

        [SuppressMessage("Performance", "CA1822", Justification = "as InnerLeft")]
        public bool InnerTop(Rect tile) => tile.Y > 0;

        public bool InnerRight(Rect tile) => tile.X + tile.Width < Width;

        public bool InnerBottom(Rect tile) => tile.Y + tile.Height < Height;
    }
}

/// <summary>
/// What one BlazeFace model can see: its input side, the smallest face box it finds reliably (in
/// input pixels), and the longer side the whole image gets at the pyramid's top level, so that a face
/// filling the photo is still within the model's range.
/// </summary>
internal sealed record BlazeFaceModelRange(int InputSize, float MinBox, int WholeSide)
{
    /// <summary>
    /// Measured on the real face photographs of the tests, pasted at every size onto a plain input:
    /// both models find every face from a 21-22 px box up; the 256 model misses some whose crop fills
    /// more than 3/4 of its input. The 128 model finds those, but scores them lower: on 64 variants
    /// of the 350 x 350 close-ups (tools/LoaderBench --cache-build), 10 scored under the 0.65
    /// threshold squeezed to 128 px (median 0.76), none at 96 px (median 0.87, lowest 0.69); so it
    /// too gets the whole image at 3/4 of its input.
    /// </summary>
    public static BlazeFaceModelRange ForInputSize(int inputSize) => inputSize switch
    {
        128 => new(128, 24f, 96),
        256 => new(256, 22f, 192),
        _ => throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "BlazeFace models take 128 or 256 pixel inputs"),
    };
}
