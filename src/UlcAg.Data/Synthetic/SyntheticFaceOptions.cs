using System.Globalization;

namespace UlcAg.Data.Synthetic;

/// <summary>
/// Everything that shapes the synthetic FACS face dataset. The nuisance and ambiguity knobs are
/// given at <see cref="Difficulty"/> = 1 and scaled by it: the effective value of a knob marked
/// "scaled" is its value times <see cref="Difficulty"/> (probabilities capped at 1). Difficulty 0
/// renders one average identity, frontal, clean, with full-intensity prototype expressions.
/// Sizes, seed, class balance and the simulated AU detector are not scaled.
/// </summary>
public sealed record SyntheticFaceOptions
{
    /// <summary>Seed of every random choice; same seed and options give byte-identical output.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Width and height of the square images in pixels.</summary>
    public int ImageSize { get; init; } = 112;

    /// <summary>Number of training images.</summary>
    public int TrainSize { get; init; } = 3000;

    /// <summary>Number of test images.</summary>
    public int TestSize { get; init; } = 750;

    /// <summary>Relative class weights of the training split (default: RAF-DB's training split).</summary>
    public IReadOnlyList<double> TrainClassWeights { get; init; } = ClassBalance.RafDbTrain;

    /// <summary>Relative class weights of the test split (default: RAF-DB's test split).</summary>
    public IReadOnlyList<double> TestClassWeights { get; init; } = ClassBalance.RafDbTest;

    /// <summary>Overall difficulty multiplier (0..3) of every knob marked "scaled".</summary>
    public double Difficulty { get; init; } = 1.0;

    /// <summary>Spread of identity parameters (face shape, feature sizes and spacing, colours, hair), 0..1.5. Scaled.</summary>
    public double IdentityVariation { get; init; } = 1.0;

    /// <summary>Number of distinct identities per split; 0 gives every image its own identity.</summary>
    public int IdentityCount { get; init; }

    /// <summary>Largest in-plane rotation in degrees. Scaled.</summary>
    public double MaxRollDegrees { get; init; } = 10;

    /// <summary>Largest head turn (yaw) in degrees; features shift and the far side squashes. Scaled.</summary>
    public double MaxYawDegrees { get; init; } = 22;

    /// <summary>Largest head tilt (pitch) in degrees. Scaled.</summary>
    public double MaxPitchDegrees { get; init; } = 10;

    /// <summary>Relative scale jitter of the face (0.08 = plus or minus 8 percent). Scaled.</summary>
    public double ScaleJitter { get; init; } = 0.08;

    /// <summary>Translation jitter as a fraction of the image size. Scaled.</summary>
    public double TranslationJitter { get; init; } = 0.04;

    /// <summary>Strength of the directional lighting gradient (relative brightness change across the face). Scaled.</summary>
    public double LightingStrength { get; init; } = 0.35;

    /// <summary>Global brightness and colour cast jitter (relative). Scaled.</summary>
    public double ColorJitter { get; init; } = 0.15;

    /// <summary>Background clutter: expected number of background shapes divided by 8. Scaled.</summary>
    public double BackgroundClutter { get; init; } = 1.0;

    /// <summary>Probability that an occluder (hand, bar, sunglasses, patch) covers part of the face. Scaled.</summary>
    public double OcclusionProbability { get; init; } = 0.15;

    /// <summary>Probability of a Gaussian blur. Scaled.</summary>
    public double BlurProbability { get; init; } = 0.3;

    /// <summary>Largest blur sigma, in pixels of a 112-pixel image (scaled with the image size). Scaled.</summary>
    public double MaxBlurSigma { get; init; } = 1.1;

    /// <summary>Largest standard deviation of additive Gaussian pixel noise (0..255 scale). Scaled.</summary>
    public double MaxNoiseSigma { get; init; } = 7;

    /// <summary>Probability that an image is JPEG-compressed at low quality. Scaled.</summary>
    public double JpegArtifactProbability { get; init; } = 0.4;

    /// <summary>Lowest JPEG quality of a degraded image (qualities are drawn from this to <see cref="JpegQuality"/>).</summary>
    public int MinJpegQuality { get; init; } = 30;

    /// <summary>JPEG quality of images without artefacts (the files on disk are these JPEG bytes).</summary>
    public int JpegQuality { get; init; } = 95;

    /// <summary>Lowest intensity of a prototype AU at difficulty 1 (intensities are drawn up to 1). Scaled toward 1 as difficulty falls.</summary>
    public double MinAuIntensity { get; init; } = 0.45;

    /// <summary>
    /// Probability that a prototype AU is missing from a face; never the class's key AU
    /// (<see cref="EmfacsPrototypes.KeyAuOf"/>), never so many that another class explains the face better. Scaled.
    /// </summary>
    public double AuDropProbability { get; init; } = 0.15;

    /// <summary>Probability of a stray AU outside the prototype (a second one with half that probability). Scaled.</summary>
    public double StrayAuProbability { get; init; } = 0.3;

    /// <summary>Fraction of faces that blend two prototypes (labelled by the one that explains the face better). Scaled.</summary>
    public double AmbiguousFraction { get; init; } = 0.08;

    /// <summary>
    /// Expected fraction of wrong AU presence pseudo-labels over the modelled AUs, like an automatic
    /// AU detector's error rate. Not scaled.
    /// </summary>
    public double PseudoLabelErrorRate { get; init; } = 0.1;

    /// <summary>
    /// How much likelier a present AU is to be missed than an absent AU to be falsely detected
    /// (at intensity 0.5; weaker AUs are missed more often). Not scaled.
    /// </summary>
    public double PseudoLabelMissBias { get; init; } = 3;

    /// <summary>The options of a split: size and class weights.</summary>
    public (int Size, IReadOnlyList<double> Weights) SplitOf(SynthSplit split) =>
        split == SynthSplit.Train ? (TrainSize, TrainClassWeights) : (TestSize, TestClassWeights);

    /// <summary>A knob multiplied by <see cref="Difficulty"/>.</summary>
    public double Scaled(double value) => value * Difficulty;

    /// <summary>A probability multiplied by <see cref="Difficulty"/> and capped at 1.</summary>
    public double ScaledProbability(double p) => Math.Min(1.0, p * Difficulty);

    /// <summary>Throws <see cref="SyntheticDataException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        Check(ImageSize is >= 32 and <= 1024, nameof(ImageSize), ImageSize, "between 32 and 1024 pixels");
        Check(TrainSize >= 0, nameof(TrainSize), TrainSize, "0 or more");
        Check(TestSize >= 0, nameof(TestSize), TestSize, "0 or more");
        CheckWeights(TrainClassWeights, nameof(TrainClassWeights));
        CheckWeights(TestClassWeights, nameof(TestClassWeights));
        Check(Difficulty is >= 0 and <= 3, nameof(Difficulty), Difficulty, "between 0 and 3");
        Check(IdentityVariation is >= 0 and <= 1.5, nameof(IdentityVariation), IdentityVariation, "between 0 and 1.5");
        Check(IdentityCount >= 0, nameof(IdentityCount), IdentityCount, "0 (unique identities) or more");
        Check(MaxRollDegrees is >= 0 and <= 45, nameof(MaxRollDegrees), MaxRollDegrees, "between 0 and 45");
        Check(MaxYawDegrees is >= 0 and <= 45, nameof(MaxYawDegrees), MaxYawDegrees, "between 0 and 45");
        Check(MaxPitchDegrees is >= 0 and <= 30, nameof(MaxPitchDegrees), MaxPitchDegrees, "between 0 and 30");
        Check(ScaleJitter is >= 0 and <= 0.3, nameof(ScaleJitter), ScaleJitter, "between 0 and 0.3");
        Check(TranslationJitter is >= 0 and <= 0.2, nameof(TranslationJitter), TranslationJitter, "between 0 and 0.2");
        Check(LightingStrength is >= 0 and <= 1, nameof(LightingStrength), LightingStrength, "between 0 and 1");
        Check(ColorJitter is >= 0 and <= 0.5, nameof(ColorJitter), ColorJitter, "between 0 and 0.5");
        Check(BackgroundClutter is >= 0 and <= 4, nameof(BackgroundClutter), BackgroundClutter, "between 0 and 4");
        CheckProbability(OcclusionProbability, nameof(OcclusionProbability));
        CheckProbability(BlurProbability, nameof(BlurProbability));
        Check(MaxBlurSigma is >= 0 and <= 5, nameof(MaxBlurSigma), MaxBlurSigma, "between 0 and 5");
        Check(MaxNoiseSigma is >= 0 and <= 50, nameof(MaxNoiseSigma), MaxNoiseSigma, "between 0 and 50");
        CheckProbability(JpegArtifactProbability, nameof(JpegArtifactProbability));
        Check(JpegQuality is >= 1 and <= 100, nameof(JpegQuality), JpegQuality, "between 1 and 100");
        Check(MinJpegQuality >= 1 && MinJpegQuality <= JpegQuality, nameof(MinJpegQuality), MinJpegQuality, $"between 1 and {nameof(JpegQuality)} ({JpegQuality})");
        Check(MinAuIntensity is >= 0.1 and <= 1, nameof(MinAuIntensity), MinAuIntensity, "between 0.1 and 1");
        CheckProbability(AuDropProbability, nameof(AuDropProbability));
        CheckProbability(StrayAuProbability, nameof(StrayAuProbability));
        CheckProbability(AmbiguousFraction, nameof(AmbiguousFraction));
        Check(PseudoLabelErrorRate is >= 0 and <= 0.5, nameof(PseudoLabelErrorRate), PseudoLabelErrorRate, "between 0 and 0.5");
        Check(PseudoLabelMissBias is >= 0.1 and <= 20, nameof(PseudoLabelMissBias), PseudoLabelMissBias, "between 0.1 and 20");
    }

    private static void CheckProbability(double value, string name) => Check(value is >= 0 and <= 1, name, value, "a probability between 0 and 1");

    private static void Check(bool ok, string name, double value, string expected)
    {
        if (!ok)
            throw new SyntheticDataException(string.Create(CultureInfo.InvariantCulture,
                $"Synthetic data option {name} is {value}; expected {expected}."));
    }

    private static void CheckWeights(IReadOnlyList<double> weights, string name)
    {
        if (weights is null || weights.Count != BasicExpressions.Count)
            throw new SyntheticDataException(
                $"Synthetic data option {name} needs {BasicExpressions.Count} class weights ({string.Join(", ", BasicExpressions.Names)}), got {weights?.Count ?? 0}.");
        if (weights.Any(w => !(w >= 0) || double.IsInfinity(w)) || weights.Sum() <= 0)
            throw new SyntheticDataException(
                $"Synthetic data option {name} must hold finite weights of 0 or more with a positive sum, got [{string.Join(", ", weights.Select(w => w.ToString(CultureInfo.InvariantCulture)))}].");
    }
}
