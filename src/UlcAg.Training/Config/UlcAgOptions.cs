using System.Globalization;
using UlcAg.Network.Models;

namespace UlcAg.Training.Config;

/// <summary>
/// YAML section <c>ulcag</c>: ULC-AG's hyperparameters, used by methods ulcag, target-only, aux-only and
/// random-edges. Epoch-valued settings count completed epochs.
/// </summary>
public sealed record UlcAgOptions
{
    /// <summary>YAML <c>rr_ratio</c>: phi, the fraction of each batch in the high-confidence group (eq. 4; 0.8 in the paper).</summary>
    public double RrRatio { get; init; } = 0.8;

    /// <summary>YAML <c>rr_margin</c>: theta, the rank regularization margin (eq. 4; 0.15 in the paper).</summary>
    public double RrMargin { get; init; } = 0.15;

    /// <summary>
    /// YAML <c>class_weights</c>: eq. 2's gamma_{y_i} = 1 - N_{y_i} / N scales each sample's logits in
    /// L_wce (eq. 3); false feeds gamma = 1, so alpha alone scales them (ablation of the target branch).
    /// </summary>
    public bool ClassWeights { get; init; } = true;

    /// <summary>YAML <c>ramp_beta</c>: beta of the ramp weights lambda1 and lambda2 (eq. 12-13), in epochs.</summary>
    public double RampBeta { get; init; } = 10;

    /// <summary>YAML <c>relabel_start_epoch</c>: relabeling (eq. 9-10) begins once this many epochs are complete (10 in the paper).</summary>
    public int RelabelStartEpoch { get; init; } = 10;

    /// <summary>YAML <c>relabel_margin</c>: a sample changes class only if the other template is closer by more than this cosine distance (eq. 10 uses 0).</summary>
    public double RelabelMargin { get; init; }

    /// <summary>YAML <c>template_momentum</c>: weight of the running template when a batch's template (eq. 8) is blended in; 0 replaces it.</summary>
    public double TemplateMomentum { get; init; } = 0.9;

    /// <summary>YAML <c>correction</c>: how labels are corrected from <see cref="RelabelStartEpoch"/> on: robust (the default) or paper (eq. 8-10 as written).</summary>
    public CorrectionPolicy Correction { get; init; } = CorrectionPolicy.Robust;

    /// <summary>YAML <c>robust</c>: the robust policy's settings.</summary>
    public RobustCorrectionOptions Robust { get; init; } = new();

    /// <summary>YAML <c>aux_start_epoch</c>: the AU graph branch joins the optimization once this many epochs are complete.</summary>
    public int AuxStartEpoch { get; init; }

    internal void Check(ConfigChecker check, TrainOptions options)
    {
        var ratioInRange = check.Between("rr_ratio", RrRatio, 0, 1, minOpen: true, maxOpen: true);
        check.Between("rr_margin", RrMargin, 0, 1);
        check.Between("ramp_beta", RampBeta, 0, 10_000, minOpen: true);
        check.AtLeast("relabel_start_epoch", RelabelStartEpoch, 0);
        check.Between("relabel_margin", RelabelMargin, 0, 2);
        check.Between("template_momentum", TemplateMomentum, 0, 1, maxOpen: true);
        check.AtLeast("aux_start_epoch", AuxStartEpoch, 0);
        Robust.Check(check.At("robust"));
        if (options.Method is Method.Baseline or Method.Scn)
        {
            return;
        }

        if (ratioInRange)
        {
            CheckGroups(check, "rr_ratio", RrRatio, options.Train);
        }

        if (options.Method != Method.TargetOnly && RelabelStartEpoch >= options.Train.Epochs)
        {
            check.Warn("relabel_start_epoch", $"is {RelabelStartEpoch}, at or after the last epoch ({options.Train.Epochs}): no label is ever corrected");
        }
    }

    /// <summary>
    /// Rank regularization (eq. 4) needs at least one sample in each of the high and low groups of
    /// the batch it splits: the micro-batch when the step accumulates gradients.
    /// </summary>
    internal static void CheckGroups(ConfigChecker check, string key, double ratio, TrainLoopOptions train)
    {
        // A micro-batch that does not fit the batch is reported under train.micro_batch_size alone.
        if (train.MicroBatchSize is { } m && (m < 2 || m > train.BatchSize || train.BatchSize % m != 0)) return;
        var batchSize = train.MicroBatch;
        var what = train.MicroBatchSize is null ? "train.batch_size" : "train.micro_batch_size";
        var high = (int)Math.Round(batchSize * ratio);
        check.Require(ConfidenceGroups.BothGroupsOccupied(batchSize, ratio), key, string.Create(CultureInfo.InvariantCulture,
            $"{ratio} of {what} {batchSize} puts {high} of {batchSize} samples in the high-confidence group; expected at least one sample in each group"));
    }
}
