using UlcAg.Network.Models;
namespace UlcAg.Training.Config;

/// <summary>YAML section <c>scn</c>: the Self-Cure Network comparison method (Wang et al. 2020), used by method scn.</summary>
public sealed record ScnOptions
{
    /// <summary>YAML <c>rr_ratio</c>: fraction of each batch in the high-importance group (0.7 in SCN).</summary>
    public double RrRatio { get; init; } = 0.7;

    /// <summary>YAML <c>rr_margin</c>: the rank regularization margin (0.15 in SCN).</summary>
    public double RrMargin { get; init; } = 0.15;

    /// <summary>YAML <c>relabel_threshold</c>: relabel when the largest predicted probability exceeds the given label's by more than this (0.2 in SCN).</summary>
    public double RelabelThreshold { get; init; } = 0.2;

    /// <summary>YAML <c>relabel_start_epoch</c>: relabeling begins once this many epochs are complete (10 in SCN).</summary>
    public int RelabelStartEpoch { get; init; } = 10;

    /// <summary>
    /// YAML <c>relabel_rule</c>: <c>code</c> (the default) relabels as SCN's published code does, every
    /// sample of a batch on the softmax of the alpha-scaled logits; <c>paper</c> as its text reads, the
    /// low-importance group only, on the softmax of the logits.
    /// </summary>
    public ScnRelabelRule RelabelRule { get; init; } = ScnRelabelRule.Code;

    internal void Check(ConfigChecker check, TrainOptions options)
    {
        var ratioInRange = check.Between("rr_ratio", RrRatio, 0, 1, minOpen: true, maxOpen: true);
        check.Between("rr_margin", RrMargin, 0, 1);
        check.Between("relabel_threshold", RelabelThreshold, 0, 1);
        check.AtLeast("relabel_start_epoch", RelabelStartEpoch, 0);
        if (options.Method == Method.Scn && ratioInRange)
        {
            UlcAgOptions.CheckGroups(check, "rr_ratio", RrRatio, options.Train);
        }
    }
}

/// <summary>Which reading of SCN's relabel rule runs (YAML <c>scn.relabel_rule</c>).</summary>
public enum ScnRelabelRule
{
    /// <summary>As SCN's published code: every sample, softmax of alpha-scaled logits.</summary>
    Code,

    /// <summary>As SCN's paper text: the low-importance group, softmax of the logits.</summary>
    Paper,
}
