using System.Runtime.Serialization;

namespace UlcAg.Training.Config;

/// <summary>How ULC-AG corrects labels (YAML <c>ulcag.correction</c>).</summary>
public enum CorrectionPolicy
{
    /// <summary>
    /// After each epoch, on the clean evidence of a pass over the unaugmented training set averaged
    /// across epochs: trusted templates, per-class candidates, template and classifier agreeing with a
    /// margin in consecutive epochs, at most one change per sample, reverted when the evidence flips back.
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

    /// <summary>YAML <c>trusted_share</c>: templates come from this share (by alpha) of each class's samples that were never relabeled and that the classifier agrees with.</summary>
    public double TrustedShare { get; init; } = 0.5;

    /// <summary>YAML <c>min_trusted</c>: a class needs this many trusted samples for a template; with fewer, its samples are neither relabeled from nor to it.</summary>
    public int MinTrusted { get; init; } = 5;

    /// <summary>YAML <c>candidate_share</c>: within each class, this share of its samples with the lowest alpha are candidates for relabeling (1 examines all).</summary>
    public double CandidateShare { get; init; } = 1.0;

    /// <summary>YAML <c>margin</c>: the absolute test; the new class's averaged probability must exceed the label's by more than this.</summary>
    public double Margin { get; init; } = 0.3;

    /// <summary>YAML <c>confirm_epochs</c>: the same new class must win in this many consecutive epochs before the label changes.</summary>
    public int ConfirmEpochs { get; init; } = 2;

    /// <summary>YAML <c>templates</c>: the nearest template (eq. 9, on standardized AU scores) must name the new class; false decides on the classifier alone.</summary>
    public bool Templates { get; init; } = true;

    /// <summary>YAML <c>classifier</c>: the classifier's averaged argmax must name the new class; false decides on the templates alone.</summary>
    public bool Classifier { get; init; } = true;

    /// <summary>YAML <c>standardize</c>: standardize each AU score over the training set before templates and distances.</summary>
    public bool Standardize { get; init; } = true;

    /// <summary>YAML <c>revert</c>: a changed label returns to the original when the evidence flips back for <see cref="ConfirmEpochs"/> epochs.</summary>
    public bool Revert { get; init; } = true;

    internal void Check(ConfigChecker check)
    {
        check.Between("evidence_momentum", EvidenceMomentum, 0, 1, maxOpen: true);
        check.Between("trusted_share", TrustedShare, 0, 1, minOpen: true);
        check.AtLeast("min_trusted", MinTrusted, 1);
        check.Between("candidate_share", CandidateShare, 0, 1, minOpen: true);
        check.Between("margin", Margin, 0, 1);
        check.AtLeast("confirm_epochs", ConfirmEpochs, 1);
        check.Require(Templates || Classifier, "templates", "and ulcag.robust.classifier are both false; expected at least one source of evidence", relatedKey: "classifier");
    }
}
