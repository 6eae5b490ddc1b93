using UlcAg.Graph;
using UlcAg.Network.Layers;
using UlcAg.Network.Models;
using UlcAg.Training.Correction;
namespace UlcAg.Training.Config;

/// <summary>YAML section <c>model</c>: the ResNet-18 backbone's starting weights and the auxiliary AU graph branch.</summary>
public sealed record ModelOptions
{
    /// <summary>
    /// YAML <c>pretrained</c>: <c>imagenet</c> (the packaged ImageNet ResNet-18), <c>none</c> (random
    /// initialization), or a PyTorch <c>.pth</c> checkpoint or <c>.safetensors</c> file with torchvision
    /// parameter names (e.g. a ResNet-18 trained on MS-Celeb-1M, as in the paper).
    /// </summary>
    public string Pretrained { get; init; } = "imagenet";

    /// <summary>YAML <c>semantic_feature</c>: what the relabeling compares with the templates (eq. 8-9).</summary>
    public SemanticFeature SemanticFeature { get; init; } = SemanticFeature.AuScores;

    /// <summary>YAML <c>node_dim</c>: B, the dimension of each AU node's feature taken from the backbone.</summary>
    public int NodeDim { get; init; } = 64;

    /// <summary>YAML <c>gcn_channels</c>: channels of each of the two GCN layers (eq. 6; 64 in the paper).</summary>
    public int GcnChannels { get; init; } = 64;

    /// <summary>YAML <c>leaky_slope</c>: the negative slope of the GCN's LeakyReLU (eq. 6).</summary>
    public double LeakySlope { get; init; } = 0.2;

    /// <summary>
    /// YAML <c>alpha_through_au_loss</c>: let the AU loss (eq. 7) send gradients into the confidence
    /// weight alpha. Off by default: the network could otherwise lower L_au by lowering alpha.
    /// </summary>
    public bool AlphaThroughAuLoss { get; init; }

    /// <summary>
    /// YAML <c>au_loss_alpha</c>: weight each sample's AU loss by its confidence weight alpha, as eq. 7
    /// does. Off by default: alpha rates the expression label, not the AU pseudo-labels, and starts
    /// low, so it scaled L_au down just when eq. 13 gives the AU branch the most weight.
    /// </summary>
    public bool AuLossAlpha { get; init; }

    /// <summary>
    /// YAML <c>au_loss</c>: <c>bce</c> trains the AU branch with eq. 7's binary cross-entropy against
    /// the AU labels; <c>forward</c> corrects it for the AU detector's false positives, with each
    /// AU's false-positive rate estimated from the training labels (docs/training.md).
    /// </summary>
    public AuLossKind AuLoss { get; init; } = AuLossKind.Bce;

    /// <summary>
    /// YAML <c>au_false_positive_rate</c>: with <c>au_loss: forward</c>, the AU detector's false-positive
    /// rate (the share of faces without an AU that it labels with it), the same for every AU; null
    /// (the default) estimates it per AU from the training labels.
    /// </summary>
    public double? AuFalsePositiveRate { get; init; }

    /// <summary>
    /// YAML <c>gcn_self_weight</c>: each GCN layer also passes every AU node's own feature through a
    /// weight of its own, X' = LeakyReLU(A X W + X W_self), so that a node is not averaged away by a
    /// dense co-occurrence graph (eq. 6 has the A X W term only). On by default.
    /// </summary>
    public bool GcnSelfWeight { get; init; } = true;

    /// <summary>
    /// The network this section describes, given what it does not know: the data's
    /// <paramref name="classes"/>, <paramref name="inputSize"/> and <paramref name="auCount"/>, the
    /// pretrained weights' <paramref name="normalization"/> and the device's <paramref name="convLowering"/>.
    /// Every network knob of this section is set, so a run's network follows these defaults, never the ones of
    /// <see cref="NetworkOptions"/>. The method and its phi are the method's to set; the rates of
    /// <c>au_loss: forward</c> come from the training labels, and the run sets them (RunSetup).
    /// </summary>
    public NetworkOptions ToNetwork(int classes, int inputSize, int auCount, Normalization normalization, ConvLowering convLowering) => new()
    {
        Classes = classes,
        InputSize = inputSize,
        AuCount = auCount,
        Normalization = normalization,
        ConvLowering = convLowering,
        NodeDim = NodeDim,
        GcnChannels = GcnChannels,
        LeakySlope = LeakySlope,
        Semantic = SemanticFeature,
        AlphaThroughAuLoss = AlphaThroughAuLoss,
        AuLossAlpha = AuLossAlpha,
        GcnSelfWeight = GcnSelfWeight,
    };

    internal void Check(ConfigChecker check)
    {
        if (!IsKeyword(Pretrained))
        {
            check.FileExists("pretrained", Pretrained, "expected imagenet, none, or a .pth/.safetensors weights file");
        }

        check.Between("node_dim", NodeDim, 1, 4096);
        check.Between("gcn_channels", GcnChannels, 1, 4096);
        check.Between("leaky_slope", LeakySlope, 0, 1, maxOpen: true);
        if (AuFalsePositiveRate is { } rho)
        {
            check.Between("au_false_positive_rate", rho, AuLabelNoise.MinRate, AuLabelNoise.MaxRate);
            if (AuLoss != AuLossKind.Forward) check.Warn("au_false_positive_rate", $"is {rho.ToString(System.Globalization.CultureInfo.InvariantCulture)}, but model.au_loss is bce: the rate is used only by au_loss: forward");
        }
    }

    internal ModelOptions WithFullPaths(string baseDirectory) => this with
    {
        Pretrained = IsKeyword(Pretrained) ? Pretrained.ToLowerInvariant() : ConfigChecker.FullPath(baseDirectory, Pretrained),
    };

    private static bool IsKeyword(string value) =>
        string.Equals(value, "imagenet", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "none", StringComparison.OrdinalIgnoreCase);
}
