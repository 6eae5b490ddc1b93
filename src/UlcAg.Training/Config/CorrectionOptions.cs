using System.Runtime.Serialization;

namespace UlcAg.Training.Config;

/// <summary>How ULC-AG corrects labels (YAML <c>ulcag.correction</c>).</summary>
public enum CorrectionPolicy
{
    /// <summary>
    /// After each epoch, on the clean evidence of a pass over the unaugmented training set averaged
    /// across epochs: the classifier and an AU view fitted on trusted samples combined into one
    /// posterior, a margin in consecutive epochs, at most one change per sample, reverted when the
    /// evidence flips back.
    /// </summary>
    Robust,

    /// <summary>eq. 8-10 as written: per batch, on the train step's outputs, "org" the original label.</summary>
    Paper,
}

/// <summary>
/// YAML section <c>ulcag.robust</c>: the settings of the robust correction policy; each part can be
/// switched off for ablation.
/// </summary>
public sealed record RobustCorrectionOptions
{
    /// <summary>YAML <c>evidence_momentum</c>: weight of the running average when an epoch's evidence is blended in (0 keeps only the latest epoch).</summary>
    public double EvidenceMomentum { get; init; } = 0.5;

    /// <summary>YAML <c>trusted_share</c>: per class, this share of its never-relabeled samples, those whose label the classifier's averaged probability supports most, is trusted: the AU view is fitted and the templates are built on them.</summary>
    public double TrustedShare { get; init; } = 0.5;

    /// <summary>YAML <c>min_trusted</c>: a class needs this many trusted samples; with fewer, its samples are neither relabeled from nor to it.</summary>
    public int MinTrusted { get; init; } = 5;

    /// <summary>YAML <c>min_posterior</c>: the absolute test; the new class's posterior given the image and the original label (with the estimated noise rate) must exceed this.</summary>
    public double MinPosterior { get; init; } = 0.8;

    /// <summary>YAML <c>confirm_epochs</c>: the same new class must win in this many consecutive epochs before the label changes.</summary>
    public int ConfirmEpochs { get; init; } = 2;

    /// <summary>YAML <c>au_view</c>: what the AU view reads (<see cref="Correction.AuViewClassifier"/>); <c>none</c> decides on the classifier alone.</summary>
    public AuView AuView { get; init; } = AuView.Both;

    /// <summary>YAML <c>classifier</c>: the classifier's averaged probabilities enter the combined posterior; false decides on the AU view alone.</summary>
    public bool Classifier { get; init; } = true;

    /// <summary>YAML <c>standardize</c>: standardize each AU score and AU label over the training set before the AU view, templates and distances.</summary>
    public bool Standardize { get; init; } = true;

    /// <summary>
    /// YAML <c>whiten_templates</c>: build the templates (report, relabel log) in the standardized AU space
    /// whitened by the trusted samples' within-class covariance and compare them by Euclidean distance
    /// (<see cref="Correction.TemplateSpace"/>); false compares standardized templates by eq. 9's cosine.
    /// </summary>
    public bool WhitenTemplates { get; init; } = true;

    /// <summary>YAML <c>revert</c>: a changed label returns to the original when the evidence flips back for <see cref="ConfirmEpochs"/> epochs.</summary>
    public bool Revert { get; init; } = true;

    internal void Check(ConfigChecker check)
    {
        check.Between("evidence_momentum", EvidenceMomentum, 0, 1, maxOpen: true);
        check.Between("trusted_share", TrustedShare, 0, 1, minOpen: true);
        check.AtLeast("min_trusted", MinTrusted, 1);
        check.Between("min_posterior", MinPosterior, 0.5, 1, maxOpen: true);
        check.AtLeast("confirm_epochs", ConfirmEpochs, 1);
        check.Require(AuView != AuView.None || Classifier, "au_view", "is none and ulcag.robust.classifier is false; expected at least one source of evidence", relatedKey: "classifier");
    }
}

/// <summary>What the robust policy's AU view reads (YAML <c>ulcag.robust.au_view</c>).</summary>
public enum AuView
{
    /// <summary>The AU branch's scores s and the samples' AU labels side by side.</summary>
    Both,

    /// <summary>The AU branch's scores s only.</summary>
    Predicted,

    /// <summary>The samples' AU labels only.</summary>
    Pseudo,

    /// <summary>No AU view: the classifier decides alone.</summary>
    None,
}
