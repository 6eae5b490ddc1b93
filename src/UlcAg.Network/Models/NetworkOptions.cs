using System.Runtime.Serialization;
using UlcAg.Graph;
using UlcAg.Network.Layers;
using UlcAg.Network.Weights;

namespace UlcAg.Network.Models;

/// <summary>What the s of eq. 8-9 is.</summary>
public enum SemanticFeature
{
    /// <summary>The M pre-sigmoid AU scores (s in R^{1xM}, as the paper states).</summary>
    [EnumMember(Value = "au_scores")]
    AuScores,
    /// <summary>The flattened node features of the second GCN layer (M x channels).</summary>
    [EnumMember(Value = "node_features")]
    NodeFeatures,
}

/// <summary>What L_au (eq. 7) compares the AU branch's scores with.</summary>
public enum AuLossKind
{
    /// <summary>Binary cross-entropy against the AU labels, as eq. 7.</summary>
    [EnumMember(Value = "bce")]
    Bce,
    /// <summary>
    /// Binary cross-entropy against the probability of the AU label under a detector that also
    /// reports an absent AU with a per-AU false-positive rate rho: rho + (1 - rho) sigmoid(s)
    /// (forward loss correction), so that sigmoid(s) estimates the AU itself.
    /// </summary>
    [EnumMember(Value = "forward")]
    Forward,
}

/// <summary>
/// Shape and switches of the ULC-AG network (and of the methods compared with it). The defaults
/// here are the paper's network, for code that builds one directly (tests, benchmarks). Where a knob
/// is also a key of the trainer's YAML section <c>model</c>, the user-facing default is that
/// section's (e.g. <c>au_loss_alpha</c> off, <c>gcn_self_weight</c> on): the trainer always sets
/// those knobs from it, never taking their defaults from here.
/// </summary>
public sealed record NetworkOptions
{
    public Method Method { get; init; } = Method.UlcAg;
    public int Classes { get; init; } = 7;
    public int InputSize { get; init; } = 112;
    /// <summary>M: the number of AU nodes.</summary>
    public int AuCount { get; init; } = 12;
    /// <summary>B: the width of each AU node's feature taken from the backbone.</summary>
    public int NodeDim { get; init; } = 64;
    public int GcnChannels { get; init; } = 64;
    public double LeakySlope { get; init; } = 0.2;
    public SemanticFeature Semantic { get; init; } = SemanticFeature.AuScores;
    /// <summary>Let L_au's gradient reach alpha (off by default: the net could lower L_au by lowering alpha).</summary>
    public bool AlphaThroughAuLoss { get; init; }
    /// <summary>Weight each sample's L_au by its alpha, as eq. 7 does (on here; the trainer's <c>model.au_loss_alpha</c> is off by default).</summary>
    public bool AuLossAlpha { get; init; } = true;
    /// <summary>
    /// Per AU, the rate (in (0, 1)) at which the AU labels report an absent AU as present. Non-null makes L_au
    /// forward-corrected (<see cref="AuLossKind.Forward"/>, <see cref="Losses.AuLoss"/>); null is eq. 7's BCE.
    /// </summary>
    public float[]? AuFalsePositiveRates { get; init; }
    /// <summary>
    /// Each GCN layer also passes every node's own feature through a weight of its own:
    /// X' = LeakyReLU(A X W + X W_self). Without it, two layers of a dense row-normalized A leave each
    /// node little of its own feature. Off here (eq. 6); the trainer's <c>model.gcn_self_weight</c> is on by default.
    /// </summary>
    public bool GcnSelfWeight { get; init; }
    /// <summary>phi: the share of the batch in the high-confidence group (0.8 ULC-AG, 0.7 SCN).</summary>
    public double RrRatio { get; init; } = 0.8;
    public IReadOnlyList<int> Blocks { get; init; } = ResNetLayout.ResNet18Blocks;
    /// <summary>Channels of the stem and layer1 (64 in ResNet-18; the feature f has 8x this). Narrow widths serve tests.</summary>
    public int Width { get; init; } = 64;
    public Normalization Normalization { get; init; } = Normalization.ImageNet;

    /// <summary>
    /// How the train step emits convolutions (<see cref="UlcAg.Graph.ConvLowering"/>): the
    /// trainer takes its device's preference (lowered GEMMs on the CPU, ONNX Conv on CUDA).
    /// Parameters keep the OIHW layout either way, so checkpoints move between devices.
    /// </summary>
    public ConvLowering ConvLowering { get; init; } = ConvLowering.None;

    /// <summary>
    /// Bytes of forward intermediates of the lowered convolutions that the train step keeps for
    /// its backward pass (<see cref="UlcAg.Graph.GraphBuilder.ConvLoweringKeepBytes"/>); the rest
    /// are computed again. Unlimited by default here; YAML <c>train.memory_budget</c>, whose default is 0.
    /// </summary>
    public long KeepForBackwardBytes { get; init; } = long.MaxValue;

    /// <summary>Width of s per sample.</summary>
    public int SemanticSize => Semantic == SemanticFeature.AuScores ? AuCount : AuCount * GcnChannels;

    public void Validate()
    {
        if (Classes < 2) throw new ArgumentException($"a classifier needs at least 2 classes, got {Classes}");
        if (InputSize < 32) throw new ArgumentException($"input size {InputSize} is too small for ResNet-18 (at least 32)");
        if (Method.HasAuxBranch() && AuCount < 1) throw new ArgumentException("the AU graph branch needs at least one AU");
        if (AuFalsePositiveRates is { } rho && (rho.Length != AuCount || !Losses.AreValidFalsePositiveRates(rho)))
            throw new ArgumentException($"AuFalsePositiveRates needs one rate in (0, 1) per AU ({AuCount}); without false positives L_au is BCE (null)");
        if (RrRatio <= 0 || RrRatio >= 1) throw new ArgumentException($"rr_ratio must lie in (0, 1), got {RrRatio}");
    }
}
