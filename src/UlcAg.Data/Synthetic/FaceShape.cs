namespace UlcAg.Data.Synthetic;

/// <summary>A point in face units (see <see cref="FaceIdentity"/>); <see cref="Lift"/> raises it above the head surface (the nose).</summary>
public readonly record struct FacePoint(double X, double Y, double Lift = 0);

/// <summary>A skin line (wrinkle, fold, crease) with its darkness 0..1 and width in face units.</summary>
public sealed record SkinLine(FacePoint[] Points, double Strength, double Width = 0.022);

/// <summary>One eye: lid contours from the inner to the outer corner, iris, and the brow above it.</summary>
public sealed record EyeShape(FacePoint[] UpperLid, FacePoint[] LowerLid, FacePoint Iris, double IrisRadius, FacePoint[] Brow);

/// <summary>
/// The mouth: four lip contours sampled at the same x positions from the left corner to the right
/// corner (outer edge of the upper lip, inner edge of the upper lip, inner edge of the lower lip,
/// outer edge of the lower lip), and how far the lips are apart.
/// </summary>
public sealed record MouthShape(FacePoint[] UpperOuter, FacePoint[] UpperInner, FacePoint[] LowerInner, FacePoint[] LowerOuter, double Opening);

/// <summary>
/// The FACS action-unit model: turns an identity and AU intensities into the geometry of a face
/// (outline, brows, lids, iris, cheeks, nose, lips) and the skin lines that AUs create. Each AU
/// moves the features its muscle moves:
/// AU1 raises the inner brow (oblique brow, central forehead lines); AU2 raises the outer brow
/// (lateral forehead lines); AU4 lowers the brows and draws them together (vertical glabella
/// lines); AU5 raises the upper lid (white above the iris); AU6 raises the cheeks, narrows the eye
/// from below, adds crow's feet and deepens the nasolabial fold; AU7 raises and straightens the
/// lower lid; AU9 wrinkles the nose, lifts the nose wings and lowers the inner brows; AU10 raises
/// the upper lip (angular upper lip, deep folds, upper teeth); AU12 pulls the lip corners up and
/// out; AU15 pulls them down; AU20 stretches the lips sideways and thins them; AU23 tightens and
/// narrows the lips; AU25 parts the lips; AU26 drops the jaw (lower lip and chin move down).
/// </summary>
public sealed class FaceShape
{
    private const int LipSamples = 17;
    private const int LidSamples = 11;
    private const int BrowSamples = 9;

    /// <summary>Closed face outline.</summary>
    public FacePoint[] Outline { get; }
    /// <summary>Left eye (image left) and right eye.</summary>
    public EyeShape[] Eyes { get; }
    /// <summary>The mouth.</summary>
    public MouthShape Mouth { get; }
    /// <summary>Nose tip position (its y is the tip height).</summary>
    public FacePoint NoseTip { get; }
    /// <summary>Half width of the nose wings.</summary>
    public double NoseWidth { get; }
    /// <summary>How far the nose wings are lifted (AU9, AU10).</summary>
    public double NoseLift { get; }
    /// <summary>Cheek centres (image left, right) and how much the cheeks are raised (0..1).</summary>
    public (FacePoint Left, FacePoint Right, double Raise) Cheeks { get; }
    /// <summary>How far the chin moved down (AU26).</summary>
    public double ChinDrop { get; }
    /// <summary>All wrinkles, folds and creases, in drawing order.</summary>
    public IReadOnlyList<SkinLine> Lines { get; }
    /// <summary>Visibility of upper and lower teeth (0..1) when the lips are apart.</summary>
    public (double Upper, double Lower) Teeth { get; }

    /// <summary>Builds the geometry of <paramref name="id"/> showing <paramref name="aus"/>, eyes turned by the gaze (-1..1).</summary>
    public FaceShape(FaceIdentity id, AuIntensities aus, double gazeX = 0, double gazeY = 0)
    {
        var au = Response(aus);
        var lines = new List<SkinLine>();
        var a1 = au[1]; var a2 = au[2]; var a4 = au[4]; var a5 = au[5]; var a6 = au[6]; var a7 = au[7];
        var a9 = au[9]; var a10 = au[10]; var a12 = au[12]; var a15 = au[15]; var a20 = au[20];
        var a23 = au[23]; var a25 = au[25]; var a26 = au[26];

        ChinDrop = 0.36 * a26;
        Outline = BuildOutline(id, ChinDrop);

        Eyes = [BuildEye(id, au, -1, gazeX, gazeY), BuildEye(id, au, 1, gazeX, gazeY)];
        var browTop = Eyes.Min(e => e.Brow.Min(p => p.Y));
        var innerBrowY = Eyes.Average(e => e.Brow[0].Y);

        // Forehead: a resting line with age; AU1 adds central lines, AU2 lateral ones. They sit
        // above the brows and follow them up.
        for (var k = 0; k < 3; k++)
        {
            var y0 = Math.Min(browTop, -id.BrowHeight - 0.05) - 0.13 - 0.1 * k;
            if (k == 0 && id.Age > 0.25)
                lines.Add(new SkinLine(Arc(-0.5, 0.5, y0, 0.03, 9), 0.5 * (id.Age - 0.25)));
            if (a1 > 0)
                lines.Add(new SkinLine(Arc(-0.32, 0.32, y0 - 0.03 * a1, 0.05 * a1, 7), a1 * (1 - 0.2 * k)));
            if (a2 > 0)
            {
                lines.Add(new SkinLine(Arc(-0.62, -0.22, y0 + 0.01, -0.02, 5), a2 * (1 - 0.2 * k)));
                lines.Add(new SkinLine(Arc(0.22, 0.62, y0 + 0.01, -0.02, 5), a2 * (1 - 0.2 * k)));
            }
        }

        // Glabella: AU4 draws vertical lines between the brows and a horizontal one at the nose root.
        if (a4 > 0)
        {
            foreach (var s in new[] { -1.0, 1.0 })
                lines.Add(new SkinLine([new(s * 0.07, innerBrowY - 0.07), new(s * 0.055, innerBrowY + 0.04), new(s * 0.06, innerBrowY + 0.13)], a4));
            lines.Add(new SkinLine(Arc(-0.07, 0.07, innerBrowY + 0.17, 0.01, 3), 0.6 * a4));
        }

        // Eyes: lid crease (fades as AU5 retracts the lid and AU4 lowers the brow onto it),
        // lower-lid furrow (AU6, AU7), crow's feet (AU6).
        foreach (var (eye, s) in Eyes.Zip(new[] { -1.0, 1.0 }))
        {
            var crease = eye.UpperLid.Skip(1).Take(LidSamples - 2).Select(p => p with { Y = p.Y - 0.045 - 0.02 * (1 - a5) }).ToArray();
            lines.Add(new SkinLine(crease, 0.45 * (1 - 0.7 * a5) * (1 - 0.5 * a4), 0.018));
            var furrow = eye.LowerLid.Skip(2).Take(LidSamples - 3).Select(p => p with { Y = p.Y + 0.05 }).ToArray();
            lines.Add(new SkinLine(furrow, Math.Max(Math.Max(0.85 * a6, 0.6 * a7), 0.3 * id.Age), 0.018));
            var corner = eye.UpperLid[^1];
            var crows = Math.Max(0.95 * a6, 0.35 * a12 * a6) + 0.2 * id.Age;
            if (crows > 0.05)
            {
                foreach (var angle in new[] { -0.45, 0.0, 0.45 })
                {
                    var start = new FacePoint(corner.X + s * 0.04, corner.Y + 0.01);
                    var end = new FacePoint(start.X + s * 0.13 * Math.Cos(angle), start.Y + 0.13 * Math.Sin(angle));
                    lines.Add(new SkinLine([start, end], crows, 0.018));
                }
            }
        }

        // Cheeks: AU6 lifts them (and AU12 a little), bunching skin under the eyes.
        var raise = Math.Clamp(0.85 * a6 + 0.3 * a12, 0, 1);
        var cheekY = 0.5 * id.FaceLength - 0.1 * a6 - 0.05 * a12;
        Cheeks = (new FacePoint(-0.5, cheekY), new FacePoint(0.5, cheekY), raise);

        // Nose: AU9 and AU10 lift and flare the wings; AU9 wrinkles the bridge.
        var tipY = id.NoseLength * id.FaceLength;
        NoseTip = new FacePoint(0, tipY, 0.35);
        NoseLift = 0.06 * a9 + 0.025 * a10;
        NoseWidth = id.NoseWidth * (1 + 0.18 * a9 + 0.1 * a10);
        if (a9 > 0)
        {
            for (var k = 0; k < 3; k++)
            {
                var y = (0.13 + 0.075 * k) * id.FaceLength;
                lines.Add(new SkinLine(Arc(-0.1, 0.1, y, 0.025, 5, 0.12 + 0.03 * k), a9 * (1 - 0.15 * k), 0.02));
            }
            foreach (var s in new[] { -1.0, 1.0 })
                lines.Add(new SkinLine([new(s * 0.08, 0.1, 0.1), new(s * 0.19, 0.22, 0.05)], 0.8 * a9));
        }

        Mouth = BuildMouth(id, au, out var cornerY, out var halfWidth);
        var mouthY = id.MouthY * id.FaceLength;

        // Nasolabial folds run from the nose wing to beside the mouth corner; smiling, sneering
        // and cheek raising deepen them and pull their lower end out with the corners.
        var fold = Math.Max(Math.Max(0.12 + 0.35 * id.Age, 0.85 * a12), Math.Max(Math.Max(0.6 * a6, 0.9 * a10), Math.Max(0.75 * a9, 0.35 * a20)));
        foreach (var s in new[] { -1.0, 1.0 })
        {
            var start = new FacePoint(s * (NoseWidth + 0.03), tipY - 0.08 - NoseLift, 0.05);
            var control = new FacePoint(s * (NoseWidth + 0.2 + 0.06 * a12), tipY + 0.12 - 0.03 * a12);
            var end = new FacePoint(s * (halfWidth + 0.07 + 0.02 * a12), Math.Min(mouthY, cornerY) + 0.08 - 0.05 * a12);
            lines.Add(new SkinLine(Bezier(start, control, end, 8), fold, 0.025));
        }

        // Lip corners: AU12 dimples curve up, AU15 lines run down (toward the chin), AU20 lines run
        // sideways, AU23 presses the lips into a hard line.
        foreach (var s in new[] { -1.0, 1.0 })
        {
            var c = s < 0 ? Mouth.UpperInner[0] : Mouth.UpperInner[^1];
            if (a12 > 0)
                lines.Add(new SkinLine([new(c.X + s * 0.02, c.Y + 0.02), new(c.X + s * 0.05, c.Y - 0.01), new(c.X + s * 0.06, c.Y - 0.05)], 0.8 * a12));
            if (a15 > 0)
                lines.Add(new SkinLine([new(c.X + s * 0.01, c.Y + 0.02), new(c.X + s * 0.03, c.Y + 0.1), new(c.X + s * 0.04, c.Y + 0.2)], a15));
            if (a20 > 0)
                lines.Add(new SkinLine([new(c.X + s * 0.02, c.Y), new(c.X + s * 0.1, c.Y + 0.02)], 0.8 * a20));
        }
        if (a23 > 0)
            lines.Add(new SkinLine(Mouth.UpperInner, 0.9 * a23, 0.03));

        Lines = lines;
        var apart = Mouth.Opening;
        // A dropped jaw hides the upper teeth under the lip and takes the lower ones out of view;
        // smiles, sneers and stretched lips bare them.
        var bared = Math.Max(a10, a12);
        var shown = Math.Clamp(apart / 0.06, 0, 1);
        Teeth = (shown * (1 - 0.65 * a26 * (1 - bared)), shown * (1 - a26 * (1 - a20)) * (0.4 + 0.6 * Math.Max(bared, a20)));
    }

    /// <summary>
    /// Visible displacement grows faster than linearly at low intensity (FACS intensity grades
    /// A..E are closer together at the top), so a weak AU is still seen: response = intensity^0.7.
    /// </summary>
    private static AuIntensities Response(AuIntensities aus) =>
        AuIntensities.FromVector(aus.ToVector().Select(v => MathF.Pow(v, 0.7f)).ToArray());

    private static FacePoint[] BuildOutline(FaceIdentity id, double chinDrop)
    {
        const int n = 64;
        var points = new FacePoint[n];
        var chinY = 1.62 * id.FaceLength + chinDrop;
        // Jaw squareness: wide jaws get a boxier lower superellipse.
        var exponent = 2 + 2.2 * Math.Clamp((id.JawWidth - 0.3) / 0.3, 0, 1);
        for (var i = 0; i < n; i++)
        {
            var t = 2 * Math.PI * i / n;
            var c = Math.Cos(t);
            var s = Math.Sin(t);
            if (s < 0)
            {
                points[i] = new FacePoint(id.FaceWidth * c, 1.55 * s);
            }
            else
            {
                var sx = Math.Sign(c) * Math.Pow(Math.Abs(c), 2 / exponent);
                var sy = Math.Pow(s, 2 / exponent);
                // Taper toward the chin so the face narrows below the cheekbones.
                var taper = 1 - 0.22 * sy * sy;
                points[i] = new FacePoint(id.FaceWidth * sx * taper, 0.2 * (1 - sy) + chinY * sy);
            }
        }
        return points;
    }

    private static EyeShape BuildEye(FaceIdentity id, AuIntensities au, double s, double gazeX, double gazeY)
    {
        var a1 = au[1]; var a2 = au[2]; var a4 = au[4]; var a5 = au[5]; var a6 = au[6]; var a7 = au[7]; var a9 = au[9];
        var cx = s * id.EyeSpacing;
        var w = id.EyeWidth;
        var inner = new FacePoint(cx - s * w, 0.012);
        var outer = new FacePoint(cx + s * w, -id.EyeTilt - 0.015 * a6);
        var upper = id.EyeOpening * Math.Max(0.25, 1 + 1.1 * a5 - 0.3 * a7 - 0.35 * a6 - 0.25 * a4 - 0.1 * a9);
        var lower = id.EyeOpening * Math.Max(0.1, 0.7 * (1 - 0.7 * a7 - 0.55 * a6 - 0.1 * a9));
        var lowerExponent = 0.9 - 0.5 * a7;
        var upperLid = new FacePoint[LidSamples];
        var lowerLid = new FacePoint[LidSamples];
        for (var i = 0; i < LidSamples; i++)
        {
            var u = -1 + 2.0 * i / (LidSamples - 1);
            var x = Lerp(inner.X, outer.X, (u + 1) / 2);
            var y = Lerp(inner.Y, outer.Y, (u + 1) / 2);
            // The upper lid peaks slightly toward the inner corner.
            var peak = u - 0.12 * (1 - u * u);
            upperLid[i] = new FacePoint(x, y - upper * Math.Pow(Math.Max(0, 1 - peak * peak), 0.7));
            lowerLid[i] = new FacePoint(x, y + lower * Math.Pow(Math.Max(0, 1 - u * u), lowerExponent));
        }
        var iris = new FacePoint(cx + 0.05 * gazeX, 0.012 + 0.02 * gazeY);

        var brow = new FacePoint[BrowSamples];
        var innerX = id.EyeSpacing - w * 0.95;
        var outerX = id.EyeSpacing + w + id.BrowLength * 0.6;
        for (var i = 0; i < BrowSamples; i++)
        {
            var u = (double)i / (BrowSamples - 1);
            var x = innerX + (outerX - innerX) * u - 0.08 * a4 * (1 - u) * (1 - u);
            var y = -id.BrowHeight - id.BrowArch * Math.Sin(Math.PI * Math.Pow(u, 1.35)) + id.BrowSlant * (1 - u) + 0.03 * u * u * u;
            y += -0.19 * a1 * Math.Pow(1 - u, 1.3)                  // AU1: inner end up, brow turns oblique
                 - 0.17 * a2 * Math.Pow(u, 0.9)                      // AU2: outer part up
                 - 0.04 * a2 * Math.Sin(Math.PI * u)                 //      and a higher arch
                 + 0.1 * a4 + 0.08 * a4 * (1 - u)                    // AU4: down, inner end most
                 + 0.04 * a9 * (1 - u);                              // AU9: inner end down a little
            brow[i] = new FacePoint(s * x, y);
        }
        return new EyeShape(upperLid, lowerLid, iris, id.IrisSize, brow);
    }

    private static MouthShape BuildMouth(FaceIdentity id, AuIntensities au, out double cornerY, out double halfWidth)
    {
        var a10 = au[10]; var a12 = au[12]; var a15 = au[15]; var a20 = au[20];
        var a23 = au[23]; var a25 = au[25]; var a26 = au[26]; var a9 = au[9];
        var y0 = id.MouthY * id.FaceLength;
        halfWidth = id.MouthWidth * (1 + 0.22 * a12 + 0.3 * a20 - 0.17 * a23 - 0.05 * a15 - 0.25 * a26 * (1 - a20));
        // A dropped jaw relaxes the corners down into an oval mouth.
        var corner = id.MouthCurve - 0.2 * a12 + 0.14 * a15 + 0.07 * a20 - 0.01 * a10 + 0.05 * a26 * (1 - a12);
        cornerY = y0 + corner;
        var raise = 0.06 * a10 + 0.03 * a9;
        var gap = 0.06 * a25;
        var jaw = 0.38 * a26;
        var thin = Math.Max(0.3, 1 - 0.55 * a23 - 0.3 * a20 - 0.15 * a12);
        var upperThickness = id.UpperLip * thin;
        var lowerThickness = id.LowerLip * thin;
        // Stretched lips (AU20) pull the upper lip up and back too when the jaw drops: a wide,
        // rectangular opening rather than an oval.
        var openUpper = (0.45 * gap + 0.2 * jaw * a20) * (1 - 0.8 * a23);
        var openLower = (0.55 * gap + jaw) * (1 - 0.6 * a23);
        // Stretched open mouths are boxy, dropped jaws oval.
        var openExponent = Math.Max(0.15, 0.55 - 0.4 * a20 + 0.15 * a26 * (1 - a20));

        var uo = new FacePoint[LipSamples];
        var ui = new FacePoint[LipSamples];
        var li = new FacePoint[LipSamples];
        var lo = new FacePoint[LipSamples];
        for (var i = 0; i < LipSamples; i++)
        {
            var u = -1 + 2.0 * i / (LipSamples - 1);
            var x = halfWidth * Math.Sign(u) * Math.Pow(Math.Abs(u), 0.9);
            // Raised corners bend the whole mouth line into a U; lowered corners mostly bend the ends.
            var line = y0 + corner * Math.Pow(Math.Abs(u), corner < 0 ? 1.6 : 2.2);
            var body = 1 - u * u;
            // AU10 lifts the upper lip most at its centre, in an angular (inverted-V) shape.
            var lift = raise * Math.Pow(Math.Max(0, 1 - Math.Abs(u)), 0.7);
            var yUpperInner = line - openUpper * Math.Pow(body, openExponent) - lift;
            var yLowerInner = line + openLower * Math.Pow(body, openExponent);
            // Cupid's bow: two peaks beside the centre, a dip in the middle.
            var bow = 1 + 0.3 * Math.Exp(-Math.Pow((Math.Abs(u) - 0.25) / 0.15, 2)) - 0.2 * Math.Exp(-Math.Pow(u / 0.1, 2));
            uo[i] = new FacePoint(x, yUpperInner - upperThickness * Math.Max(0, 1 - 0.8 * u * u) * bow);
            ui[i] = new FacePoint(x, yUpperInner);
            li[i] = new FacePoint(x, yLowerInner);
            lo[i] = new FacePoint(x, yLowerInner + lowerThickness * Math.Pow(body, 0.6));
        }
        return new MouthShape(uo, ui, li, lo, openUpper + raise + openLower);
    }

    private static double Lerp(double a, double b, double t) => a + (b - a) * t;

    /// <summary>A horizontal arc from x0 to x1 at height y whose middle rises by <paramref name="bend"/>.</summary>
    private static FacePoint[] Arc(double x0, double x1, double y, double bend, int n, double lift = 0)
    {
        var points = new FacePoint[n];
        for (var i = 0; i < n; i++)
        {
            var t = (double)i / (n - 1);
            points[i] = new FacePoint(Lerp(x0, x1, t), y - bend * 4 * t * (1 - t), lift);
        }
        return points;
    }

    private static FacePoint[] Bezier(FacePoint a, FacePoint b, FacePoint c, int n)
    {
        var points = new FacePoint[n];
        for (var i = 0; i < n; i++)
        {
            var t = (double)i / (n - 1);
            var u = 1 - t;
            points[i] = new FacePoint(u * u * a.X + 2 * u * t * b.X + t * t * c.X, u * u * a.Y + 2 * u * t * b.Y + t * t * c.Y,
                u * u * a.Lift + 2 * u * t * b.Lift + t * t * c.Lift);
        }
        return points;
    }
}
