using OpenCvSharp;

namespace UlcAg.Data.Tests;

/// <summary>
/// The real face photographs of tests/fixtures/real-faces (one face each, copied next to the test
/// assembly), generated backgrounds without faces, and scenes made by pasting the photographs onto
/// them at chosen sizes, so that every face's place is known.
/// </summary>
internal static class RealFaces
{
    /// <summary>Where the build copies the photographs.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "real-faces");

    /// <summary>The photographs' paths, sorted by name.</summary>
    public static IReadOnlyList<string> Files
    {
        get
        {
            if (!Directory.Exists(Folder))
            {
                throw new DirectoryNotFoundException($"{Folder} is missing: the test project copies tests/fixtures/real-faces there");
            }

            return [.. Directory.GetFiles(Folder, "*.jpg").Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Kinds of generated image without a face.</summary>
    public enum Background
    {
        /// <summary>Uniform random noise, per pixel and channel.</summary>
        Noise,

        /// <summary>Blurred noise: a soft, cloudy texture.</summary>
        Clouds,

        /// <summary>Sine stripes at an angle, like blinds or fabric.</summary>
        Stripes,

        /// <summary>A smooth two-colour gradient.</summary>
        Gradient,

        /// <summary>Random filled ellipses and rectangles over a gradient.</summary>
        Shapes,

        /// <summary>A checkerboard with blurred edges.</summary>
        Checker,
    }

    /// <summary>A <paramref name="width"/> x <paramref name="height"/> BGR image of the given kind.</summary>
    public static Mat MakeBackground(Background kind, int width, int height, int seed)
    {
        var rng = new Random(seed);
        var image = new Mat(height, width, MatType.CV_8UC3);
        switch (kind)
        {
            case Background.Noise:
                Cv2.Randu(image, Scalar.All(0), Scalar.All(256));
                break;
            case Background.Clouds:
            {
                using var small = new Mat(Math.Max(2, height / 16), Math.Max(2, width / 16), MatType.CV_8UC3);
                Cv2.Randu(small, Scalar.All(0), Scalar.All(256));
                Cv2.Resize(small, image, new Size(width, height), 0, 0, InterpolationFlags.Cubic);
                Cv2.GaussianBlur(image, image, new Size(0, 0), 6);
                break;
            }

            case Background.Stripes:
            {
                var angle = rng.NextDouble() * Math.PI;
                var period = 8 + (rng.NextDouble() * 40);
                var (c, s) = (Math.Cos(angle), Math.Sin(angle));
                var a = new Vec3b((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
                var b = new Vec3b((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
                Fill(image, (x, y) =>
                {
                    var t = 0.5 + (0.5 * Math.Sin(2 * Math.PI * ((x * c) + (y * s)) / period));
                    return new Vec3b(Mix(a.Item0, b.Item0, t), Mix(a.Item1, b.Item1, t), Mix(a.Item2, b.Item2, t));
                });
                break;
            }

            case Background.Gradient:
                Gradient(image, rng);
                break;
            case Background.Shapes:
                Gradient(image, rng);
                for (var i = 0; i < 40; i++)
                {
                    var color = new Scalar(rng.Next(256), rng.Next(256), rng.Next(256));
                    var centre = new Point(rng.Next(width), rng.Next(height));
                    var size = new Size(rng.Next(5, Math.Max(6, width / 6)), rng.Next(5, Math.Max(6, height / 6)));
                    if (i % 2 == 0)
                    {
                        Cv2.Ellipse(image, centre, size, rng.Next(180), 0, 360, color, -1, LineTypes.AntiAlias);
                    }
                    else
                    {
                        Cv2.Rectangle(image, new Rect(centre, size), color, -1);
                    }
                }

                break;
            case Background.Checker:
            {
                var cell = 12 + rng.Next(60);
                image.SetTo(Scalar.All(30));
                for (var y = 0; y < height; y += cell)
                {
                    for (var x = (y / cell) % 2 * cell; x < width; x += 2 * cell)
                    {
                        Cv2.Rectangle(image, new Rect(x, y, cell, cell), Scalar.All(220), -1);
                    }
                }

                Cv2.GaussianBlur(image, image, new Size(0, 0), 1.5);
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }

        return image;
    }

    /// <summary>
    /// Pastes photographs onto a background: each (file, x, y, side) becomes a side x side copy of the
    /// photograph (squeezed to a square only if it is not one; the photographs are square or nearly so)
    /// with its top-left corner at (x, y).
    /// </summary>
    public static Mat Compose(Mat background, IEnumerable<Placement> placements)
    {
        var scene = background.Clone();
        foreach (var p in placements)
        {
            using var photo = Cv2.ImRead(p.File, ImreadModes.Color);
            using var sized = new Mat();
            Cv2.Resize(photo, sized, new Size(p.Side, p.Side), 0, 0, p.Side < photo.Cols ? InterpolationFlags.Area : InterpolationFlags.Linear);
            using var roi = new Mat(scene, p.Rect);
            sized.CopyTo(roi);
        }

        return scene;
    }

    /// <summary>
    /// A scene of <paramref name="count"/> photographs at sides from <paramref name="minSide"/> to
    /// <paramref name="maxSide"/> (spread evenly, shuffled), one per cell of a grid over the image, each
    /// placed at random inside its cell, so no two overlap.
    /// </summary>
    public static (Mat Scene, IReadOnlyList<Placement> Faces) Scene(int width, int height, int count, int minSide, int maxSide, Background background, int seed)
    {
        var rng = new Random(seed);
        var files = Files.OrderBy(_ => rng.Next()).Take(count).ToList();
        var columns = (int)Math.Ceiling(Math.Sqrt(count * (double)width / height));
        var rows = (int)Math.Ceiling((double)count / columns);
        var (cellW, cellH) = (width / columns, height / rows);
        if (maxSide > Math.Min(cellW, cellH))
        {
            throw new ArgumentException($"faces of {maxSide} px do not fit cells of {cellW} x {cellH}");
        }

        var sides = Enumerable.Range(0, count)
            .Select(i => count == 1 ? maxSide : minSide + ((maxSide - minSide) * i / (count - 1)))
            .OrderBy(_ => rng.Next()).ToList();
        var cells = Enumerable.Range(0, rows * columns).OrderBy(_ => rng.Next()).Take(count).ToList();
        var placements = new List<Placement>();
        for (var i = 0; i < count; i++)
        {
            var (col, row) = (cells[i] % columns, cells[i] / columns);
            var side = sides[i];
            var x = (col * cellW) + rng.Next(cellW - side + 1);
            var y = (row * cellH) + rng.Next(cellH - side + 1);
            placements.Add(new Placement(files[i], x, y, side));
        }

        using var back = MakeBackground(background, width, height, seed);
        return (Compose(back, placements), placements);
    }

    private static void Gradient(Mat image, Random rng)
    {
        var a = new Vec3b((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
        var b = new Vec3b((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
        var vertical = rng.Next(2) == 0;
        var (rows, cols) = (image.Rows, image.Cols);
        Fill(image, (x, y) =>
        {
            var t = vertical ? (double)y / Math.Max(1, rows - 1) : (double)x / Math.Max(1, cols - 1);
            return new Vec3b(Mix(a.Item0, b.Item0, t), Mix(a.Item1, b.Item1, t), Mix(a.Item2, b.Item2, t));
        });
    }

    // Sets every pixel of a continuous 8-bit BGR image from its coordinates.
    private static void Fill(Mat image, Func<int, int, Vec3b> pixel)
    {
        var (rows, cols) = (image.Rows, image.Cols);
        var bytes = new byte[rows * cols * 3];
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < cols; x++)
            {
                var v = pixel(x, y);
                var i = ((y * cols) + x) * 3;
                (bytes[i], bytes[i + 1], bytes[i + 2]) = (v.Item0, v.Item1, v.Item2);
            }
        }

        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, image.Data, bytes.Length);
    }

    private static byte Mix(double a, double b, double t) => (byte)Math.Round(a + ((b - a) * t));

    /// <summary>One pasted photograph: its file and the square it covers in the scene.</summary>
    public sealed record Placement(string File, int X, int Y, int Side)
    {
        public Rect Rect => new(X, Y, Side, Side);
    }
}
