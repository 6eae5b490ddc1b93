using OpenCvSharp;

namespace UlcAg.Data.Synthetic;

/// <summary>Objects that can cover part of a synthetic face.</summary>
public enum OcclusionKind
{
    /// <summary>Nothing covers the face.</summary>
    None,
    /// <summary>A hand (palm and fingers) over the mouth, cheek or eye.</summary>
    Hand,
    /// <summary>A long bar (pen, microphone, strap) across the face.</summary>
    Bar,
    /// <summary>Dark glasses over both eyes.</summary>
    Sunglasses,
    /// <summary>A flat rectangular patch (sticker, caption).</summary>
    Patch,
}

/// <summary>
/// Everything about a synthetic image except the face itself: pose, framing, lighting,
/// background, occluder and image degradations. Positions of the occluder are in face units
/// (see <see cref="FaceIdentity"/>). The defaults are a clean, frontal, evenly lit image.
/// </summary>
public sealed record FaceScene
{
    /// <summary>In-plane rotation in degrees (positive: clockwise on screen).</summary>
    public double RollDegrees { get; init; }
    /// <summary>Head turn in degrees (positive: the face turns toward the image's right).</summary>
    public double YawDegrees { get; init; }
    /// <summary>Head tilt in degrees (positive: chin down).</summary>
    public double PitchDegrees { get; init; }
    /// <summary>Face size relative to the aligned default.</summary>
    public double Scale { get; init; } = 1.0;
    /// <summary>Horizontal shift as a fraction of the image size.</summary>
    public double OffsetX { get; init; }
    /// <summary>Vertical shift as a fraction of the image size.</summary>
    public double OffsetY { get; init; }
    /// <summary>Background colour where the gradient starts (BGR).</summary>
    public Scalar BackgroundA { get; init; } = new(170, 170, 170);
    /// <summary>Background colour where the gradient ends (BGR).</summary>
    public Scalar BackgroundB { get; init; } = new(150, 150, 150);
    /// <summary>Number of clutter shapes in the background.</summary>
    public int ClutterCount { get; init; }
    /// <summary>Direction the light comes from, in radians (0: from the image's right).</summary>
    public double LightAngle { get; init; }
    /// <summary>Relative brightness change across the image from the light gradient.</summary>
    public double LightStrength { get; init; }
    /// <summary>Overall brightness multiplier.</summary>
    public double Brightness { get; init; } = 1.0;
    /// <summary>Per-channel colour cast multipliers (B, G, R).</summary>
    public Scalar ColorCast { get; init; } = new(1, 1, 1);
    /// <summary>Gaze direction, horizontal (-1..1).</summary>
    public double GazeX { get; init; }
    /// <summary>Gaze direction, vertical (-1..1).</summary>
    public double GazeY { get; init; }
    /// <summary>Occluder kind.</summary>
    public OcclusionKind Occlusion { get; init; }
    /// <summary>Occluder centre, x in face units.</summary>
    public double OcclusionX { get; init; }
    /// <summary>Occluder centre, y in face units.</summary>
    public double OcclusionY { get; init; }
    /// <summary>Occluder orientation in degrees.</summary>
    public double OcclusionAngle { get; init; }
    /// <summary>Occluder size in face units.</summary>
    public double OcclusionSize { get; init; }
    /// <summary>Occluder colour (BGR).</summary>
    public Scalar OcclusionColor { get; init; }
    /// <summary>Gaussian blur sigma in pixels of a 112-pixel image (0: sharp).</summary>
    public double BlurSigma { get; init; }
    /// <summary>Standard deviation of additive pixel noise (0..255 scale).</summary>
    public double NoiseSigma { get; init; }
    /// <summary>JPEG quality of the image (the on-disk bytes are encoded at this quality).</summary>
    public int JpegQuality { get; init; } = 95;
    /// <summary>Seed of the pixel-level randomness (clutter shapes, noise pattern).</summary>
    public ulong DetailSeed { get; init; }

    /// <summary>Draws a scene with the effective (difficulty-scaled) knobs of <paramref name="o"/>.</summary>
    public static FaceScene Sample(SeededRandom rng, SyntheticFaceOptions o, FaceIdentity identity)
    {
        var bgA = RandomColor(rng, 40, 230);
        var bgB = FaceIdentity.Mix(bgA, RandomColor(rng, 40, 230), rng.Uniform(0.2, 0.8));
        var clutter = o.Scaled(o.BackgroundClutter) * 8;
        var clutterCount = clutter <= 0 ? 0 : (int)Math.Floor(rng.Uniform(0.25, 1.75) * clutter);
        var colorJitter = o.Scaled(o.ColorJitter);
        var scene = new FaceScene
        {
            RollDegrees = rng.Symmetric(o.Scaled(o.MaxRollDegrees)),
            YawDegrees = rng.Symmetric(o.Scaled(o.MaxYawDegrees)),
            PitchDegrees = rng.Symmetric(o.Scaled(o.MaxPitchDegrees)),
            Scale = 1 + rng.Symmetric(o.Scaled(o.ScaleJitter)),
            OffsetX = rng.Symmetric(o.Scaled(o.TranslationJitter)),
            OffsetY = rng.Symmetric(o.Scaled(o.TranslationJitter)),
            BackgroundA = bgA,
            BackgroundB = bgB,
            ClutterCount = clutterCount,
            LightAngle = rng.Uniform(0, 2 * Math.PI),
            LightStrength = rng.Uniform(0, o.Scaled(o.LightingStrength)),
            Brightness = 1 + rng.Symmetric(colorJitter),
            ColorCast = new Scalar(1 + rng.Symmetric(colorJitter * 0.5), 1 + rng.Symmetric(colorJitter * 0.3), 1 + rng.Symmetric(colorJitter * 0.5)),
            GazeX = rng.Symmetric(Math.Min(1, o.Difficulty)),
            GazeY = rng.Symmetric(0.6 * Math.Min(1, o.Difficulty)),
        };
        scene = WithOcclusion(scene, rng, o, identity);
        var blur = rng.Chance(o.ScaledProbability(o.BlurProbability)) ? rng.Uniform(0.35, 1) * o.Scaled(o.MaxBlurSigma) : 0;
        var noise = rng.Uniform(0, o.Scaled(o.MaxNoiseSigma));
        var quality = rng.Chance(o.ScaledProbability(o.JpegArtifactProbability))
            ? (int)Math.Round(rng.Uniform(o.MinJpegQuality, o.JpegQuality))
            : o.JpegQuality;
        return scene with { BlurSigma = blur, NoiseSigma = noise, JpegQuality = quality, DetailSeed = rng.NextUInt64() };
    }

    private static FaceScene WithOcclusion(FaceScene scene, SeededRandom rng, SyntheticFaceOptions o, FaceIdentity identity)
    {
        if (!rng.Chance(o.ScaledProbability(o.OcclusionProbability)))
            return scene;
        var kind = (OcclusionKind)(1 + rng.Next(4));
        // Hands and patches land on one of the expressive regions: mouth, a cheek, an eye, the brows.
        (double X, double Y)[] spots = [(0, 1.05), (-0.5, 0.55), (0.5, 0.55), (-0.45, 0), (0.45, 0), (0, -0.35), (0, 1.35)];
        var spot = spots[rng.Next(spots.Length)];
        var x = spot.X + rng.Symmetric(0.15);
        var y = spot.Y + rng.Symmetric(0.12);
        var color = kind switch
        {
            OcclusionKind.Hand => FaceIdentity.Tint(identity.SkinColor, rng.Uniform(0.85, 1.1), rng.Uniform(0.85, 1.1), rng.Uniform(0.9, 1.1)),
            OcclusionKind.Sunglasses => new Scalar(rng.Uniform(10, 40), rng.Uniform(10, 40), rng.Uniform(10, 40)),
            _ => RandomColor(rng, 20, 240),
        };
        var size = kind switch
        {
            OcclusionKind.Hand => rng.Uniform(0.45, 0.7),
            OcclusionKind.Bar => rng.Uniform(0.1, 0.22),
            OcclusionKind.Sunglasses => rng.Uniform(0.95, 1.15),
            _ => rng.Uniform(0.3, 0.6),
        };
        if (kind == OcclusionKind.Bar)
            y = rng.Uniform(-0.4, 1.4);
        if (kind == OcclusionKind.Sunglasses)
            (x, y) = (0, rng.Symmetric(0.03));
        return scene with
        {
            Occlusion = kind,
            OcclusionX = x,
            OcclusionY = y,
            OcclusionAngle = kind == OcclusionKind.Sunglasses ? 0 : rng.Symmetric(kind == OcclusionKind.Bar ? 60 : 40),
            OcclusionSize = size,
            OcclusionColor = color,
        };
    }

    private static Scalar RandomColor(SeededRandom rng, double min, double max) =>
        new(rng.Uniform(min, max), rng.Uniform(min, max), rng.Uniform(min, max));
}
