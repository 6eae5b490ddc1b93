using System.Globalization;
using System.Runtime.Serialization;

namespace UlcAg.Data.Synthetic;

/// <summary>
/// Everything that shapes the synthetic FACS face dataset. The nuisance and ambiguity knobs are
/// given at <see cref="Difficulty"/> = 1 and scaled by it: the effective value of a knob marked
/// "scaled" is its value times <see cref="Difficulty"/> (probabilities capped at 1). Difficulty 0
/// renders one average identity, frontal, clean, with full-intensity prototype expressions.
/// Sizes, seed, class balance and the simulated AU detector are not scaled. The training
/// configuration's section <c>data.synthetic</c> binds to the <see cref="DataMemberAttribute"/>
/// settings (its true labels and AUs are known, so injected label noise and relabeling can be
/// measured exactly); the others keep these defaults in training.
/// </summary>
[DataContract]
public sealed record SyntheticFaceOptions
{
    /// <summary>The seed of the generator used directly with <see cref="Seed"/> null.</summary>
    public const int DefaultSeed = 1;

    /// <summary>YAML <c>train</c>: number of training images.</summary>
    [DataMember]
    public int Train { get; init; } = 3000;

    /// <summary>YAML <c>test</c>: number of test images.</summary>
    [DataMember]
    public int Test { get; init; } = 750;

    /// <summary>YAML <c>difficulty</c>: overall difficulty multiplier (0..3) of every knob marked "scaled": pose, lighting, occlusion, blur and expression ambiguity.</summary>
    [DataMember]
    public double Difficulty { get; init; } = 1.0;

    /// <summary>
    /// YAML <c>au_error_rate</c>: expected fraction of wrong AU presence pseudo-labels over the modelled
    /// AUs, like an automatic AU detector's error rate, 0..0.5. Not scaled.
    /// </summary>
    [DataMember]
    public double AuErrorRate { get; init; } = 0.1;

    /// <summary>YAML <c>ambiguous_fraction</c>: fraction of faces that blend two prototypes (labelled by the one that explains the face better), 0..1. Scaled.</summary>
    [DataMember]
    public double AmbiguousFraction { get; init; } = 0.08;

    /// <summary>
    /// YAML <c>seed</c>: seed of every random choice; same seed and options give byte-identical output.
    /// Null uses the run's seed in training, <see cref="DefaultSeed"/> otherwise.
    /// </summary>
    [DataMember]
    public int? Seed { get; init; }

    /// <summary>Width and height of the square images in pixels.</summary>
    public int ImageSize { get; init; } = 112;

    /// <summary>Relative class weights of the training split (default: RAF-DB's training split).</summary>
    public IReadOnlyList<double> TrainClassWeights { get; init; } = ClassBalance.RafDbTrain;

    /// <summary>Relative class weights of the test split (default: RAF-DB's test split).</summary>
    public IReadOnlyList<double> TestClassWeights { get; init; } = ClassBalance.RafDbTest;

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

    /// <summary>
    /// How much likelier a present AU is to be missed than an absent AU to be falsely detected
    /// (at intensity 0.5; weaker AUs are missed more often). Not scaled.
    /// </summary>
    public double PseudoLabelMissBias { get; init; } = 3;

    /// <summary>The options of a split: size and class weights.</summary>
    public (int Size, IReadOnlyList<double> Weights) SplitOf(SynthSplit split) =>
        split == SynthSplit.Train ? (Train, TrainClassWeights) : (Test, TestClassWeights);

    /// <summary>A knob multiplied by <see cref="Difficulty"/>.</summary>
    public double Scaled(double value) => value * Difficulty;

    /// <summary>A probability multiplied by <see cref="Difficulty"/> and capped at 1.</summary>
    public double ScaledProbability(double p) => Math.Min(1.0, p * Difficulty);

    /// <summary>Checks every setting (keys in snake_case, as the configured ones are in YAML).</summary>
    public void Check(OptionCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.Between("train", Train, 7, 10_000_000);
        check.Between("test", Test, 7, 10_000_000);
        check.Between("difficulty", Difficulty, 0, 3);
        check.Between("au_error_rate", AuErrorRate, 0, 0.5);
        check.Between("ambiguous_fraction", AmbiguousFraction, 0, 1);
        if (Seed is { } seed)
        {
            check.AtLeast("seed", seed, 0);
        }

        check.Between("image_size", ImageSize, 32, 1024);
        CheckWeights(check, "train_class_weights", TrainClassWeights);
        CheckWeights(check, "test_class_weights", TestClassWeights);
        check.Between("identity_variation", IdentityVariation, 0, 1.5);
        check.AtLeast("identity_count", IdentityCount, 0);
        check.Between("max_roll_degrees", MaxRollDegrees, 0, 45);
        check.Between("max_yaw_degrees", MaxYawDegrees, 0, 45);
        check.Between("max_pitch_degrees", MaxPitchDegrees, 0, 30);
        check.Between("scale_jitter", ScaleJitter, 0, 0.3);
        check.Between("translation_jitter", TranslationJitter, 0, 0.2);
        check.Between("lighting_strength", LightingStrength, 0, 1);
        check.Between("color_jitter", ColorJitter, 0, 0.5);
        check.Between("background_clutter", BackgroundClutter, 0, 4);
        check.Between("occlusion_probability", OcclusionProbability, 0, 1);
        check.Between("blur_probability", BlurProbability, 0, 1);
        check.Between("max_blur_sigma", MaxBlurSigma, 0, 5);
        check.Between("max_noise_sigma", MaxNoiseSigma, 0, 50);
        check.Between("jpeg_artifact_probability", JpegArtifactProbability, 0, 1);
        check.Between("jpeg_quality", JpegQuality, 1, 100);
        check.Between("min_jpeg_quality", MinJpegQuality, 1, JpegQuality);
        check.Between("min_au_intensity", MinAuIntensity, 0.1, 1);
        check.Between("au_drop_probability", AuDropProbability, 0, 1);
        check.Between("stray_au_probability", StrayAuProbability, 0, 1);
        check.Between("pseudo_label_miss_bias", PseudoLabelMissBias, 0.1, 20);
    }

    /// <summary>Throws <see cref="SyntheticDataException"/> naming the first invalid option.</summary>
    public void Validate() => OptionCheck.ThrowIfInvalid(Check, (key, text) => new SyntheticDataException($"Synthetic data option {key} {text}."));

    private static void CheckWeights(OptionCheck check, string key, IReadOnlyList<double> weights)
    {
        if (check.Require(weights is not null && weights.Count == BasicExpressions.Count, key,
            $"has {weights?.Count ?? 0} class weights; expected {BasicExpressions.Count} ({string.Join(", ", BasicExpressions.Names)})"))
        {
            check.Require(weights!.All(w => w >= 0 && !double.IsInfinity(w)) && weights!.Sum() > 0, key,
                $"is [{string.Join(", ", weights!.Select(w => w.ToString(CultureInfo.InvariantCulture)))}]; expected finite weights of 0 or more with a positive sum");
        }
    }
}
