using OpenCvSharp;

namespace UlcAg.Data.Synthetic;

/// <summary>
/// Renders a <see cref="FaceSpec"/> into a BGR image with OpenCV's anti-aliased drawing:
/// background, head, hair, the AU-deformed features of <see cref="FaceShape"/>, accessories,
/// occluder, then lighting, blur and noise (JPEG compression is left to the caller, which keeps
/// the encoded bytes). A pure function of the spec; safe to call from several threads.
/// </summary>
public sealed class FaceRenderer
{
    private static readonly Scalar Sclera = new(222, 226, 230);
    private static readonly Scalar Teeth = new(215, 228, 236);
    private static readonly Scalar MouthCavity = new(45, 35, 80);
    private static readonly Scalar Pupil = new(15, 15, 18);

    /// <summary>Creates a renderer of square images of <paramref name="imageSize"/> pixels.</summary>
    public FaceRenderer(int imageSize)
    {
        if (imageSize is < 32 or > 1024)
            throw new SyntheticDataException($"Synthetic image size {imageSize} is out of range; expected 32 to 1024 pixels.");
        ImageSize = imageSize;
    }

    /// <summary>Image width and height in pixels.</summary>
    public int ImageSize { get; }

    /// <summary>Renders the face; the caller owns (and disposes) the returned 8-bit BGR image.</summary>
    public Mat Render(FaceSpec spec)
    {
        var (identity, aus, scene) = spec;
        var image = new Mat(ImageSize, ImageSize, MatType.CV_8UC3);
        var rng = new SeededRandom(scene.DetailSeed);
        ScenePainter.DrawBackground(image, scene, rng);

        var canvas = new FaceCanvas(image, new FaceProjection(ImageSize, scene, identity));
        var shape = new FaceShape(identity, aus, scene.GazeX, scene.GazeY);
        DrawHead(canvas, identity, shape);
        DrawFeatures(canvas, identity, shape, aus);
        DrawAccessories(canvas, identity, shape);
        ScenePainter.DrawOccluder(canvas, scene, shape);
        ScenePainter.Finish(image, scene, rng);
        return image;
    }

    private static void DrawHead(FaceCanvas canvas, FaceIdentity id, FaceShape shape)
    {
        var skin = id.SkinColor;
        var shadow = Shade(skin, 0.78);
        if (id.Hair == HairStyle.Long)
        {
            FacePoint[] back =
            [
                new(-1.22, 2.2), new(-1.3, 0.6), new(-1.2, -0.6), new(-0.8, -1.55), new(0, -1.75),
                new(0.8, -1.55), new(1.2, -0.6), new(1.3, 0.6), new(1.22, 2.2),
            ];
            canvas.Fill(back.Select(p => p with { X = p.X * id.FaceWidth }).ToArray(), Shade(id.HairColor, 0.8), lift: -0.4);
        }

        // Neck, shoulders and ears sit behind the face.
        FacePoint[] neck = [new(-0.5, 0.9), new(0.5, 0.9), new(0.55, 2.0), new(1.6, 2.3), new(1.6, 3), new(-1.6, 3), new(-1.6, 2.3), new(-0.55, 2.0)];
        canvas.Fill(neck, shadow, lift: -0.5);
        foreach (var s in new[] { -1.0, 1.0 })
        {
            var ear = new FacePoint(s * (id.FaceWidth - 0.03), 0.18);
            canvas.FillEllipse(ear, 0.11, 0.21, Shade(skin, 0.88), s * 8, lift: -0.75);
            canvas.FillEllipse(ear with { X = ear.X + s * 0.02 }, 0.05, 0.12, Shade(skin, 0.7), s * 8, lift: -0.7);
        }

        canvas.Fill(shape.Outline, skin);
        // A soft rim: the outline again, slightly inside and darker, for a hint of roundness.
        canvas.Stroke(shape.Outline.Select(p => p with { X = p.X * 0.985, Y = 0.2 + (p.Y - 0.2) * 0.99 }).ToArray(), Shade(skin, 0.9),
            0.06, closed: true);

        var (left, right, raise) = shape.Cheeks;
        // Raised cheeks catch more light and look fuller.
        var blush = FaceIdentity.Mix(skin, Tint(skin, 0.97, 0.96, 1.04), 0.3 + 0.5 * raise);
        blush = FaceIdentity.Mix(blush, Shade(skin, 1.08), 0.5 * raise);
        canvas.FillEllipse(left, 0.22, 0.13 + 0.02 * raise, blush, -10);
        canvas.FillEllipse(right, 0.22, 0.13 + 0.02 * raise, blush, 10);
        if (raise > 0.05)
        {
            // The lower border of a raised cheek.
            foreach (var c in new[] { left, right })
            {
                var s = Math.Sign(c.X);
                canvas.Stroke(Arc(c with { Y = c.Y + 0.12 }, 0.2, s), Line(skin, 0.55 * raise), 0.02);
            }
        }

        foreach (var line in shape.Lines)
        {
            if (line.Strength > 0.02)
                canvas.Stroke(line.Points, Line(skin, line.Strength), line.Width);
        }

        DrawHair(canvas, id);
    }

    private static FacePoint[] Arc(FacePoint centre, double halfWidth, int side)
    {
        var points = new FacePoint[7];
        for (var i = 0; i < points.Length; i++)
        {
            var t = -1 + 2.0 * i / (points.Length - 1);
            points[i] = new FacePoint(centre.X + halfWidth * t, centre.Y + 0.03 * (1 - t * t) + 0.02 * side * t);
        }
        return points;
    }

    private static void DrawHair(FaceCanvas canvas, FaceIdentity id)
    {
        if (id.Hair == HairStyle.Bald)
            return;
        var fringe = id.Hair == HairStyle.Fringe;
        var hairline = fringe ? Math.Max(id.Hairline + 0.4, -0.62) : id.Hairline;
        var points = new List<FacePoint>();
        // Outer edge: the crown, slightly wider than the head.
        for (var i = 0; i <= 16; i++)
        {
            var t = Math.PI + Math.PI * i / 16;
            points.Add(new FacePoint(1.07 * id.FaceWidth * Math.Cos(t), -0.25 + 1.42 * Math.Sin(t)));
        }
        // Inner edge: temples down to the ears, the hairline across the forehead (jagged for a fringe).
        points.Add(new FacePoint(0.96 * id.FaceWidth, -0.05));
        points.Add(new FacePoint(0.86 * id.FaceWidth, hairline + 0.45));
        for (var i = 0; i <= 12; i++)
        {
            var t = 1 - 2.0 * i / 12;
            var x = 0.78 * id.FaceWidth * t;
            var y = hairline + 0.16 * t * t + (fringe && i % 2 == 1 ? 0.07 : 0);
            points.Add(new FacePoint(x, y));
        }
        points.Add(new FacePoint(-0.86 * id.FaceWidth, hairline + 0.45));
        points.Add(new FacePoint(-0.96 * id.FaceWidth, -0.05));
        canvas.Fill(points, id.HairColor, lift: 0.02);
        // Strands: curves from the crown toward the hairline, a shade darker and lighter.
        var dark = Shade(id.HairColor, 0.72);
        var light = FaceIdentity.Mix(id.HairColor, new Scalar(230, 230, 230), 0.15);
        for (var k = 0; k < 9; k++)
        {
            var x = 0.85 * id.FaceWidth * (-1 + k / 4.0);
            var end = new FacePoint(0.95 * x, hairline + 0.12 * x * x - 0.06);
            FacePoint[] strand = [new(0.4 * x, -1.5), new(0.85 * x + 0.05, 0.5 * (hairline - 1.5)), end];
            canvas.Stroke(strand, k % 2 == 0 ? dark : light, 0.018, lift: 0.03);
        }
        if (id.Hair == HairStyle.Long)
        {
            foreach (var s in new[] { -1.0, 1.0 })
            {
                canvas.Fill([new(s * 0.96, -0.1), new(s * 1.02, 0.5), new(s * 1.0, 1.3), new(s * 1.2, 1.6), new(s * 1.25, 0.4), new(s * 1.1, -0.6)],
                    id.HairColor, lift: -0.1);
                canvas.Stroke([new(s * 1.05, -0.5), new(s * 1.1, 0.4), new(s * 1.12, 1.4)], dark, 0.018, lift: -0.1);
            }
        }
    }

    private static void DrawFeatures(FaceCanvas canvas, FaceIdentity id, FaceShape shape, AuIntensities aus)
    {
        var skin = id.SkinColor;
        var browColor = FaceIdentity.Mix(Shade(id.HairColor, 0.75), skin, 0.15);
        foreach (var eye in shape.Eyes)
        {
            DrawBrow(canvas, eye.Brow, id.BrowThickness * (1 + 0.15 * aus[4]), browColor);
            DrawEye(canvas, eye, id, skin);
        }
        DrawNose(canvas, shape, skin);
        if (id.Beard is FacialHair.Stubble or FacialHair.Beard)
            DrawBeard(canvas, id, shape);
        DrawMouth(canvas, id, shape, aus);
        if (id.Beard is FacialHair.Moustache or FacialHair.Beard)
            DrawMoustache(canvas, id, shape);
    }

    private static void DrawBrow(FaceCanvas canvas, FacePoint[] centre, double thickness, Scalar color)
    {
        var n = centre.Length;
        var polygon = new FacePoint[2 * n];
        for (var i = 0; i < n; i++)
        {
            var u = (double)i / (n - 1);
            var t = thickness * (1 - 0.5 * u);
            polygon[i] = centre[i] with { Y = centre[i].Y - 0.6 * t };
            polygon[2 * n - 1 - i] = centre[i] with { Y = centre[i].Y + 0.4 * t };
        }
        canvas.Fill(polygon, color);
    }

    private static void DrawEye(FaceCanvas canvas, EyeShape eye, FaceIdentity id, Scalar skin)
    {
        var opening = eye.UpperLid.Concat(eye.LowerLid.Reverse()).ToArray();
        canvas.Fill(opening, Sclera);
        canvas.Fill(ClipToEye(eye, eye.Iris, eye.IrisRadius), id.IrisColor);
        canvas.Fill(ClipToEye(eye, eye.Iris, eye.IrisRadius * 0.45), Pupil);
        var glint = eye.Iris with { X = eye.Iris.X + 0.3 * eye.IrisRadius, Y = eye.Iris.Y - 0.3 * eye.IrisRadius };
        if (glint.Y > InterpolateY(eye.UpperLid, glint.X) + 0.01)
            canvas.FillEllipse(glint, 0.18 * eye.IrisRadius, 0.18 * eye.IrisRadius, new Scalar(245, 245, 245), samples: 8);
        canvas.Stroke(eye.UpperLid, Shade(id.HairColor, 0.4), 0.035);
        canvas.Stroke(eye.LowerLid, Line(skin, 0.45), 0.018);
    }

    /// <summary>A circle clipped to the eye opening: every point is clamped between the two lids.</summary>
    private static FacePoint[] ClipToEye(EyeShape eye, FacePoint centre, double radius)
    {
        var minX = Math.Min(eye.UpperLid[0].X, eye.UpperLid[^1].X);
        var maxX = Math.Max(eye.UpperLid[0].X, eye.UpperLid[^1].X);
        var points = new FacePoint[20];
        for (var i = 0; i < points.Length; i++)
        {
            var (s, c) = Math.SinCos(2 * Math.PI * i / points.Length);
            var x = Math.Clamp(centre.X + radius * c, minX, maxX);
            var top = InterpolateY(eye.UpperLid, x);
            var bottom = InterpolateY(eye.LowerLid, x);
            var y = Math.Clamp(centre.Y + radius * s, top, Math.Max(top, bottom));
            points[i] = new FacePoint(x, y);
        }
        return points;
    }

    /// <summary>The y of a curve (monotonic in x, either direction) at <paramref name="x"/>.</summary>
    private static double InterpolateY(FacePoint[] curve, double x)
    {
        for (var i = 0; i < curve.Length - 1; i++)
        {
            var a = curve[i];
            var b = curve[i + 1];
            if ((x >= a.X && x <= b.X) || (x <= a.X && x >= b.X))
                return Math.Abs(b.X - a.X) < 1e-9 ? a.Y : a.Y + (b.Y - a.Y) * (x - a.X) / (b.X - a.X);
        }
        return Math.Abs(x - curve[0].X) < Math.Abs(x - curve[^1].X) ? curve[0].Y : curve[^1].Y;
    }

    private static void DrawNose(FaceCanvas canvas, FaceShape shape, Scalar skin)
    {
        var tip = shape.NoseTip;
        var w = shape.NoseWidth;
        var lift = shape.NoseLift;
        // Bridge shadow on both sides, tip highlight, wings and nostrils.
        foreach (var s in new[] { -1.0, 1.0 })
            canvas.Stroke([new(s * 0.07, 0.05, 0.1), new(s * 0.08, tip.Y * 0.55, 0.2), new(s * 0.1, tip.Y - 0.12, 0.25)], Line(skin, 0.2), 0.025);
        canvas.FillEllipse(tip with { Y = tip.Y - 0.04 }, 0.07, 0.06, Shade(skin, 1.08), samples: 12);
        foreach (var s in new[] { -1.0, 1.0 })
        {
            FacePoint[] wing =
            [
                new(s * w * 0.7, tip.Y - 0.12 - lift, 0.15), new(s * w, tip.Y - 0.04 - lift, 0.08),
                new(s * w * 0.9, tip.Y + 0.03 - lift, 0.1), new(s * w * 0.45, tip.Y + 0.06 - 0.5 * lift, 0.2),
            ];
            canvas.Stroke(wing, Line(skin, 0.6), 0.025);
            canvas.FillEllipse(new FacePoint(s * w * 0.45, tip.Y + 0.035 - lift, 0.18), 0.05, 0.02 + 0.01 * lift / 0.06, Shade(skin, 0.35), s * 15, samples: 12);
        }
    }

    private static void DrawMouth(FaceCanvas canvas, FaceIdentity id, FaceShape shape, AuIntensities aus)
    {
        var m = shape.Mouth;
        var lips = m.UpperOuter.Concat(m.LowerOuter.Reverse()).ToArray();
        canvas.Fill(lips, id.LipColor);
        // Upper lip slightly darker than the lower one (it faces down, away from the light).
        canvas.Fill(m.UpperOuter.Concat(m.UpperInner.Reverse()).ToArray(), Shade(id.LipColor, 0.88));
        if (m.Opening > 0.008)
        {
            canvas.Fill(m.UpperInner.Concat(m.LowerInner.Reverse()).ToArray(), MouthCavity);
            var (upper, lower) = shape.Teeth;
            if (upper > 0)
                canvas.Fill(TeethBand(m, 0.075, fromUpper: true), FaceIdentity.Mix(MouthCavity, Teeth, upper));
            if (lower > 0)
                canvas.Fill(TeethBand(m, 0.045, fromUpper: false), FaceIdentity.Mix(MouthCavity, Teeth, 0.85 * lower));
        }
        var pressed = aus[23];
        canvas.Stroke(m.UpperInner, FaceIdentity.Mix(Shade(id.LipColor, 0.55), new Scalar(20, 20, 40), 0.5 * pressed), 0.02 + 0.015 * pressed);
    }

    /// <summary>A band of teeth along one lip's inner edge, kept inside the mouth opening.</summary>
    private static FacePoint[] TeethBand(MouthShape m, double height, bool fromUpper)
    {
        var n = m.UpperInner.Length;
        var first = n / 6;
        var last = n - 1 - n / 6;
        var edge = new List<FacePoint>();
        var inner = new List<FacePoint>();
        for (var i = first; i <= last; i++)
        {
            var top = m.UpperInner[i].Y;
            var bottom = Math.Max(top, m.LowerInner[i].Y);
            if (fromUpper)
            {
                edge.Add(m.UpperInner[i]);
                inner.Add(m.UpperInner[i] with { Y = Math.Min(bottom, top + height) });
            }
            else
            {
                edge.Add(m.LowerInner[i] with { Y = bottom });
                inner.Add(m.LowerInner[i] with { Y = Math.Max(top, bottom - height) });
            }
        }
        inner.Reverse();
        return edge.Concat(inner).ToArray();
    }

    private static void DrawBeard(FaceCanvas canvas, FaceIdentity id, FaceShape shape)
    {
        // The jaw below the mouth corners (the outline's lower half runs right, chin, left), closed
        // along the lower lip; stubble also darkens the upper lip.
        var m = shape.Mouth;
        var top = Math.Max(m.LowerOuter[0].Y, m.LowerOuter[^1].Y) - 0.1;
        var side = Math.Abs(m.LowerOuter[0].X) + 0.15;
        var ordered = shape.Outline.Where(p => p.Y > top).Select(p => p with { X = p.X * 0.97 })
            .Append(new FacePoint(-side, top - 0.05))
            .Concat(m.LowerOuter.Select(p => p with { Y = p.Y + 0.02 }))
            .Append(new FacePoint(side, top - 0.05))
            .ToArray();
        var full = id.Beard == FacialHair.Beard;
        var color = FaceIdentity.Mix(id.SkinColor, id.HairColor, full ? 0.8 : 0.3);
        canvas.Fill(ordered, color);
        if (!full)
        {
            var upper = m.UpperOuter.Skip(1).Take(m.UpperOuter.Length - 2).ToArray();
            canvas.Fill(upper.Concat(upper.Reverse().Select(p => p with { Y = p.Y - 0.1 + 0.04 * Math.Abs(p.X) })).ToArray(), color);
        }
    }

    private static void DrawMoustache(FaceCanvas canvas, FaceIdentity id, FaceShape shape)
    {
        var top = shape.Mouth.UpperOuter;
        var n = top.Length;
        var lower = top.Skip(1).Take(n - 2).Select(p => p with { Y = p.Y - 0.005 }).ToArray();
        var upper = lower.Reverse().Select(p => p with { Y = p.Y - 0.07 + 0.03 * Math.Abs(p.X) }).ToArray();
        canvas.Fill(lower.Concat(upper).ToArray(), Shade(id.HairColor, 0.9));
    }

    private static void DrawAccessories(FaceCanvas canvas, FaceIdentity id, FaceShape shape)
    {
        if (!id.Glasses)
            return;
        var frame = Shade(id.HairColor, 0.5);
        foreach (var eye in shape.Eyes)
        {
            var c = new FacePoint((eye.UpperLid[0].X + eye.UpperLid[^1].X) / 2, 0.01, 0.12);
            canvas.Stroke(FaceCanvas.Ellipse(c, 0.28, 0.19, samples: 24), frame, 0.03, closed: true);
        }
        var l = shape.Eyes[0];
        var r = shape.Eyes[1];
        var mid = (l.UpperLid[0].X + r.UpperLid[0].X) / 2;
        canvas.Stroke([new(mid - 0.12, -0.03, 0.12), new(mid, -0.06, 0.12), new(mid + 0.12, -0.03, 0.12)], frame, 0.03);
    }

    /// <summary>A colour scaled in brightness.</summary>
    internal static Scalar Shade(Scalar c, double factor) => FaceIdentity.Tint(c, factor, factor, factor);

    /// <summary>The colour of a skin line of the given strength: darker and slightly redder skin.</summary>
    internal static Scalar Line(Scalar skin, double strength) =>
        FaceIdentity.Mix(skin, Tint(skin, 0.55, 0.55, 0.62), Math.Clamp(strength, 0, 1));

    private static Scalar Tint(Scalar c, double b, double g, double r) => FaceIdentity.Tint(c, b, g, r);
}
