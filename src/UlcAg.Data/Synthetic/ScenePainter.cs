using OpenCvSharp;

namespace UlcAg.Data.Synthetic;

/// <summary>
/// The parts of a synthetic image that are not the face: background with clutter, occluders in
/// front of the face, and the camera effects (lighting gradient, colour cast, blur, noise).
/// </summary>
internal static class ScenePainter
{
    // A fixed table of standard normal values: indexing it with random bits is several times
    // faster than Box-Muller per pixel, and just as deterministic.
    private const int NoiseTableBits = 12;
    private static readonly float[] NoiseTable = BuildNoiseTable();

    private static float[] BuildNoiseTable()
    {
        var rng = new SeededRandom(0x5EED_0F_0015EUL);
        var table = new float[1 << NoiseTableBits];
        for (var i = 0; i < table.Length; i++)
            table[i] = (float)rng.Normal();
        return table;
    }

    /// <summary>
    /// Linear gradient between the two background colours and clutter shapes, drawn at a third of
    /// the resolution and scaled up: the background comes out defocused at a fraction of the cost
    /// of blurring it.
    /// </summary>
    public static void DrawBackground(Mat image, FaceScene scene, SeededRandom rng)
    {
        var size = image.Rows;
        var small = Math.Max(16, size / 3);
        using var background = new Mat(small, small, MatType.CV_8UC3);
        FillGradient(background, scene.BackgroundA, scene.BackgroundB, rng.Uniform(0, 2 * Math.PI));
        var a = scene.BackgroundA;
        for (var i = 0; i < scene.ClutterCount; i++)
        {
            var color = FaceIdentity.Mix(a, new Scalar(rng.Uniform(0, 255), rng.Uniform(0, 255), rng.Uniform(0, 255)), rng.Uniform(0.3, 0.9));
            var center = new Point(rng.Next(small), rng.Next(small));
            var extent = (int)(small * rng.Uniform(0.05, 0.35));
            switch (rng.Next(4))
            {
                case 0:
                    Cv2.Rectangle(background, new Rect(center.X - extent / 2, center.Y - extent / 2, extent, (int)(extent * rng.Uniform(0.3, 2))), color, -1, LineTypes.AntiAlias);
                    break;
                case 1:
                    Cv2.Circle(background, center, Math.Max(1, extent / 2), color, -1, LineTypes.AntiAlias);
                    break;
                case 2:
                    var end = new Point(center.X + (int)(extent * rng.Symmetric(2)), center.Y + (int)(extent * rng.Symmetric(2)));
                    Cv2.Line(background, center, end, color, Math.Max(1, (int)(small * rng.Uniform(0.01, 0.05))), LineTypes.AntiAlias);
                    break;
                default:
                    Point[] triangle =
                    [
                        center,
                        new(center.X + (int)(extent * rng.Symmetric(1)), center.Y + (int)(extent * rng.Symmetric(1))),
                        new(center.X + (int)(extent * rng.Symmetric(1)), center.Y + (int)(extent * rng.Symmetric(1))),
                    ];
                    Cv2.FillConvexPoly(background, triangle, color, LineTypes.AntiAlias);
                    break;
            }
        }
        Cv2.Resize(background, image, new Size(size, size), 0, 0, InterpolationFlags.Linear);
    }

    private static unsafe void FillGradient(Mat image, Scalar a, Scalar b, double angle)
    {
        var size = image.Rows;
        var (dy, dx) = Math.SinCos(angle);
        var data = (byte*)image.Data;
        var step = (int)image.Step();
        for (var y = 0; y < size; y++)
        {
            var row = data + y * step;
            for (var x = 0; x < size; x++)
            {
                var t = Math.Clamp(0.5 + ((x - size / 2.0) * dx + (y - size / 2.0) * dy) / size, 0, 1);
                row[3 * x] = (byte)(a.Val0 + (b.Val0 - a.Val0) * t);
                row[3 * x + 1] = (byte)(a.Val1 + (b.Val1 - a.Val1) * t);
                row[3 * x + 2] = (byte)(a.Val2 + (b.Val2 - a.Val2) * t);
            }
        }
    }

    /// <summary>Draws the scene's occluder in front of the face.</summary>
    public static void DrawOccluder(FaceCanvas canvas, FaceScene scene, FaceShape shape)
    {
        if (scene.Occlusion == OcclusionKind.None)
            return;
        const double front = 0.6;
        var c = new FacePoint(scene.OcclusionX, scene.OcclusionY);
        var size = scene.OcclusionSize;
        var color = scene.OcclusionColor;
        var (sin, cos) = Math.SinCos(scene.OcclusionAngle * Math.PI / 180);
        FacePoint Along(double u, double v) => new(c.X + u * cos - v * sin, c.Y + u * sin + v * cos);
        switch (scene.Occlusion)
        {
            case OcclusionKind.Hand:
                {
                    var outline = FaceRenderer.Shade(color, 0.82);
                    // Four fingers fanning out of the palm, then the palm over their roots.
                    for (var f = 0; f < 4; f++)
                    {
                        var v = (f - 1.5) * 0.36 * size;
                        var length = size * (f is 1 or 2 ? 1.35 : 1.15);
                        var root = Along(0, v);
                        var tip = Along(-length, v * 1.15);
                        canvas.Segment(root, tip, outline, 0.34 * size + 0.03, front);
                        canvas.Segment(root, tip, color, 0.34 * size, front);
                    }
                    canvas.FillEllipse(Along(0.35 * size, 0), 0.7 * size, 0.75 * size, outline, scene.OcclusionAngle, front);
                    canvas.FillEllipse(Along(0.35 * size, 0), 0.7 * size - 0.02, 0.75 * size - 0.02, color, scene.OcclusionAngle, front);
                    break;
                }
            case OcclusionKind.Bar:
                canvas.Segment(Along(-3, 0), Along(3, 0), color, size, front);
                canvas.Segment(Along(-3, -0.25 * size), Along(3, -0.25 * size), FaceRenderer.Shade(color, 1.25), 0.2 * size, front);
                break;
            case OcclusionKind.Sunglasses:
                foreach (var eye in shape.Eyes)
                {
                    var centre = new FacePoint((eye.UpperLid[0].X + eye.UpperLid[^1].X) / 2, 0.02);
                    canvas.FillEllipse(centre, 0.27 * size, 0.18 * size, color, 0, 0.12, 24);
                    canvas.FillEllipse(centre with { X = centre.X + 0.08, Y = centre.Y - 0.07 }, 0.06, 0.025, FaceRenderer.Shade(color, 2.5), -20, 0.13, 10);
                }
                canvas.Stroke([new(-0.14, -0.03), new(0, -0.07), new(0.14, -0.03)], color, 0.04, lift: 0.12);
                canvas.Stroke([new(-0.7, -0.02), new(-0.98, -0.05)], color, 0.04, lift: 0.05);
                canvas.Stroke([new(0.7, -0.02), new(0.98, -0.05)], color, 0.04, lift: 0.05);
                break;
            case OcclusionKind.Patch:
                {
                    var half = size / 2;
                    canvas.Fill([Along(-half, -half * 0.6), Along(half, -half * 0.6), Along(half, half * 0.6), Along(-half, half * 0.6)], color, front);
                    var ink = FaceRenderer.Shade(color, color.Val0 + color.Val1 + color.Val2 > 380 ? 0.35 : 2.2);
                    canvas.Segment(Along(-half * 0.7, -half * 0.2), Along(half * 0.5, -half * 0.2), ink, 0.03, front);
                    canvas.Segment(Along(-half * 0.7, half * 0.2), Along(half * 0.2, half * 0.2), ink, 0.03, front);
                    break;
                }
        }
    }

    /// <summary>Camera effects: blur, then the lighting gradient, colour cast and additive noise in one pass.</summary>
    public static unsafe void Finish(Mat image, FaceScene scene, SeededRandom rng)
    {
        var size = image.Rows;
        if (scene.BlurSigma > 0.05)
            Cv2.GaussianBlur(image, image, new Size(0, 0), scene.BlurSigma * size / 112.0);
        // Light falls off linearly across the image toward the side away from the source:
        // gain = 1 + strength * ((x - c) cos a + (y - c) sin a) * 2 / size.
        var (ly, lx) = Math.SinCos(scene.LightAngle);
        var slopeX = (float)(scene.LightStrength * lx * 2 / size);
        var slopeY = (float)(scene.LightStrength * ly * 2 / size);
        var g0 = (float)(scene.Brightness * scene.ColorCast.Val0);
        var g1 = (float)(scene.Brightness * scene.ColorCast.Val1);
        var g2 = (float)(scene.Brightness * scene.ColorCast.Val2);
        var sigma = (float)scene.NoiseSigma;
        var noisy = sigma > 0.05f;
        var data = (byte*)image.Data;
        var step = (int)image.Step();
        var half = size / 2f;
        const ulong mask = (1 << NoiseTableBits) - 1;
        fixed (float* table = NoiseTable)
        {
            for (var y = 0; y < size; y++)
            {
                var row = data + y * step;
                var light = 1 + slopeY * (y - half) - slopeX * half;
                for (var x = 0; x < size; x++, light += slopeX)
                {
                    var p = row + 3 * x;
                    float n0 = 0, n1 = 0, n2 = 0;
                    if (noisy)
                    {
                        var bits = rng.NextUInt64();
                        n0 = sigma * table[bits & mask];
                        n1 = sigma * table[(bits >> NoiseTableBits) & mask];
                        n2 = sigma * table[(bits >> (2 * NoiseTableBits)) & mask];
                    }
                    p[0] = ToByte(p[0] * light * g0 + n0);
                    p[1] = ToByte(p[1] * light * g1 + n1);
                    p[2] = ToByte(p[2] * light * g2 + n2);
                }
            }
        }
    }

    private static byte ToByte(float v) => v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)(v + 0.5f);
}
