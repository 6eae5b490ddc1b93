using OpenCvSharp;

namespace UlcAg.Data.Synthetic;

/// <summary>Hair styles of synthetic identities.</summary>
public enum HairStyle
{
    /// <summary>No hair on the crown.</summary>
    Bald,
    /// <summary>Short hair above the forehead.</summary>
    Short,
    /// <summary>A fringe that covers part of the forehead.</summary>
    Fringe,
    /// <summary>Long hair falling beside the face.</summary>
    Long,
}

/// <summary>Facial hair of synthetic identities.</summary>
public enum FacialHair
{
    /// <summary>Clean-shaven.</summary>
    None,
    /// <summary>Darker tint over jaw and upper lip.</summary>
    Stubble,
    /// <summary>A moustache above the upper lip.</summary>
    Moustache,
    /// <summary>A full beard around the mouth and over the chin.</summary>
    Beard,
}

/// <summary>
/// The identity of a synthetic face: shape, feature sizes and spacing, resting expression quirks,
/// colours and hair. Lengths are in face units: the face's half width at the cheekbones is 1,
/// the origin lies midway between the eyes, y points down. The defaults are the average face.
/// </summary>
public sealed record FaceIdentity
{
    /// <summary>Horizontal scale of the head.</summary>
    public double FaceWidth { get; init; } = 1.0;
    /// <summary>Vertical scale of the lower face (eyes to chin).</summary>
    public double FaceLength { get; init; } = 1.0;
    /// <summary>Half width of the chin.</summary>
    public double JawWidth { get; init; } = 0.42;
    /// <summary>Horizontal distance of each eye centre from the midline.</summary>
    public double EyeSpacing { get; init; } = 0.44;
    /// <summary>Half width of an eye.</summary>
    public double EyeWidth { get; init; } = 0.2;
    /// <summary>Height of the upper lid above the eye centre at rest.</summary>
    public double EyeOpening { get; init; } = 0.085;
    /// <summary>Height of the outer eye corner above the inner one.</summary>
    public double EyeTilt { get; init; } = 0.01;
    /// <summary>Iris radius.</summary>
    public double IrisSize { get; init; } = 0.08;
    /// <summary>Height of the brow above the eye centre.</summary>
    public double BrowHeight { get; init; } = 0.3;
    /// <summary>Brow thickness at its inner end.</summary>
    public double BrowThickness { get; init; } = 0.065;
    /// <summary>Height of the brow arch.</summary>
    public double BrowArch { get; init; } = 0.045;
    /// <summary>How far the brow reaches beyond the outer eye corner.</summary>
    public double BrowLength { get; init; } = 0.1;
    /// <summary>Resting height of the inner brow end relative to the outer (positive = lower inner end).</summary>
    public double BrowSlant { get; init; }
    /// <summary>Vertical position of the nose tip.</summary>
    public double NoseLength { get; init; } = 0.6;
    /// <summary>Half width of the nose wings.</summary>
    public double NoseWidth { get; init; } = 0.16;
    /// <summary>Vertical position of the mouth line.</summary>
    public double MouthY { get; init; } = 1.0;
    /// <summary>Half width of the mouth.</summary>
    public double MouthWidth { get; init; } = 0.35;
    /// <summary>Upper lip thickness.</summary>
    public double UpperLip { get; init; } = 0.06;
    /// <summary>Lower lip thickness.</summary>
    public double LowerLip { get; init; } = 0.085;
    /// <summary>Resting height of the mouth corners relative to the centre (positive = lower corners).</summary>
    public double MouthCurve { get; init; }
    /// <summary>Wrinkle and fold visibility at rest (0..1).</summary>
    public double Age { get; init; } = 0.2;
    /// <summary>Skin colour (BGR).</summary>
    public Scalar SkinColor { get; init; } = new(120, 155, 200);
    /// <summary>Lip colour (BGR).</summary>
    public Scalar LipColor { get; init; } = new(95, 100, 175);
    /// <summary>Hair and brow colour (BGR).</summary>
    public Scalar HairColor { get; init; } = new(30, 45, 70);
    /// <summary>Iris colour (BGR).</summary>
    public Scalar IrisColor { get; init; } = new(35, 65, 100);
    /// <summary>Hair style.</summary>
    public HairStyle Hair { get; init; } = HairStyle.Short;
    /// <summary>Height of the hairline (negative: above the eyes).</summary>
    public double Hairline { get; init; } = -0.9;
    /// <summary>Facial hair.</summary>
    public FacialHair Beard { get; init; } = FacialHair.None;
    /// <summary>Whether the face wears clear glasses.</summary>
    public bool Glasses { get; init; }

    private static readonly Scalar[] SkinTones =
    [
        new(45, 65, 100), new(70, 100, 150), new(100, 140, 190), new(130, 165, 215), new(175, 200, 235),
    ];

    private static readonly Scalar[] HairColors =
    [
        new(20, 22, 28), new(30, 45, 70), new(45, 75, 115), new(95, 150, 195), new(35, 65, 145), new(150, 150, 155),
    ];

    private static readonly Scalar[] IrisColors =
    [
        new(35, 65, 100), new(25, 35, 50), new(160, 120, 70), new(90, 130, 90), new(50, 100, 120),
    ];

    /// <summary>
    /// Draws an identity. <paramref name="variation"/> scales every deviation from the average
    /// face; 0 returns the average face.
    /// </summary>
    public static FaceIdentity Sample(SeededRandom rng, double variation)
    {
        var v = variation;
        var average = new FaceIdentity();
        if (v <= 0)
            return average;
        double Jitter(double mean, double halfRange) => mean + v * rng.Symmetric(halfRange);

        var skin = Interpolate(SkinTones, Math.Clamp(0.6 + v * rng.Uniform(-0.6, 0.4), 0, 1));
        skin = Tint(skin, 1 + v * rng.Symmetric(0.06), 1 + v * rng.Symmetric(0.05), 1 + v * rng.Symmetric(0.04));
        var hairColor = rng.Chance(Math.Min(1, v)) ? HairColors[rng.Next(HairColors.Length)] : average.HairColor;
        var hair = rng.Chance(Math.Min(1, v)) ? (HairStyle)rng.Next(4) : average.Hair;
        var beardDraw = rng.NextDouble();
        var beard = beardDraw < 0.18 * Math.Min(1, v) ? (FacialHair)(1 + rng.Next(3)) : FacialHair.None;
        return new FaceIdentity
        {
            FaceWidth = Jitter(1.0, 0.07),
            FaceLength = Jitter(1.0, 0.08),
            JawWidth = Jitter(0.42, 0.12),
            EyeSpacing = Jitter(0.44, 0.04),
            EyeWidth = Jitter(0.2, 0.025),
            EyeOpening = Jitter(0.085, 0.015),
            EyeTilt = Jitter(0.01, 0.025),
            IrisSize = Jitter(0.08, 0.008),
            BrowHeight = Jitter(0.3, 0.045),
            BrowThickness = Jitter(0.065, 0.02),
            BrowArch = Jitter(0.045, 0.03),
            BrowLength = Jitter(0.1, 0.05),
            BrowSlant = v * rng.Symmetric(0.03),
            NoseLength = Jitter(0.6, 0.06),
            NoseWidth = Jitter(0.16, 0.035),
            MouthY = Jitter(1.0, 0.05),
            MouthWidth = Jitter(0.35, 0.05),
            UpperLip = Jitter(0.06, 0.02),
            LowerLip = Jitter(0.085, 0.025),
            MouthCurve = v * rng.Symmetric(0.02),
            Age = Math.Clamp(Jitter(0.2, 0.2), 0, 1),
            SkinColor = skin,
            LipColor = Tint(Mix(skin, new Scalar(90, 80, 190), 0.45), 1 + v * rng.Symmetric(0.1), 1 + v * rng.Symmetric(0.1), 1),
            HairColor = hairColor,
            IrisColor = rng.Chance(Math.Min(1, v)) ? IrisColors[rng.Next(IrisColors.Length)] : average.IrisColor,
            Hair = hair,
            Hairline = Jitter(-0.9, 0.12),
            Beard = beard,
            Glasses = rng.Chance(0.12 * Math.Min(1, v)),
        };
    }

    /// <summary>Linear interpolation between two colours.</summary>
    public static Scalar Mix(Scalar a, Scalar b, double t) =>
        new(a.Val0 + (b.Val0 - a.Val0) * t, a.Val1 + (b.Val1 - a.Val1) * t, a.Val2 + (b.Val2 - a.Val2) * t);

    /// <summary>A colour with its channels multiplied (and clamped to 0..255).</summary>
    public static Scalar Tint(Scalar c, double b, double g, double r) =>
        new(Math.Clamp(c.Val0 * b, 0, 255), Math.Clamp(c.Val1 * g, 0, 255), Math.Clamp(c.Val2 * r, 0, 255));

    private static Scalar Interpolate(Scalar[] palette, double t)
    {
        var x = t * (palette.Length - 1);
        var i = Math.Min((int)x, palette.Length - 2);
        return Mix(palette[i], palette[i + 1], x - i);
    }
}
