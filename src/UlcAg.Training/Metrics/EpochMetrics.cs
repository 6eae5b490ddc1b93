using System.Text.Json.Serialization;

namespace UlcAg.Training.Metrics;

/// <summary>
/// What one epoch of training measured: one line of <c>metrics.jsonl</c>. Values a method or run does
/// not produce (no validation split, no relabeling, no clean labels) are null and left out of the line.
/// </summary>
public sealed record EpochMetrics
{
    /// <summary>The epoch, as the trainer counts it.</summary>
    public required int Epoch { get; init; }

    /// <summary>Optimizer steps taken since the start of the run, at the end of the epoch.</summary>
    public long Step { get; init; }

    /// <summary>Learning rate per parameter group (e.g. backbone, auxiliary branch) during the epoch.</summary>
    [JsonPropertyName("lr")]
    public IReadOnlyDictionary<string, double> LearningRates { get; init; } = new Dictionary<string, double>();

    /// <summary>Ramp weight of the target-branch losses (eq. 12).</summary>
    public double? Lambda1 { get; init; }

    /// <summary>Ramp weight of the AU loss (eq. 13).</summary>
    public double? Lambda2 { get; init; }

    /// <summary>Epoch mean of each loss term, keyed by <see cref="LossTerms"/> names.</summary>
    [JsonPropertyName("loss")]
    public IReadOnlyDictionary<string, double> Losses { get; init; } = new Dictionary<string, double>();

    /// <summary>Accuracy on the training batches against the labels trained on (0..1).</summary>
    public double? TrainAccuracy { get; init; }

    /// <summary>Accuracy on the validation split (0..1).</summary>
    public double? ValAccuracy { get; init; }

    /// <summary>Mean class accuracy on the validation split (0..1).</summary>
    public double? ValMeanClassAccuracy { get; init; }

    /// <summary>How the training labels moved this epoch, and whether the moves were right.</summary>
    public RelabelAudit? Relabel { get; init; }

    /// <summary>How well a low alpha flags the initially noisy samples (<see cref="RocAuc.AlphaFlagsNoise"/>).</summary>
    public double? AlphaAuc { get; init; }

    /// <summary>Mean over AUs of the ROC AUC of the AU branch's scores against the validation AU labels (0.5 = chance); null without an AU branch.</summary>
    public double? ValAuAuc { get; init; }

    /// <summary>As <see cref="ValAuAuc"/>, against the AUs the validation images actually show (synthetic data, whose AU labels are pseudo-labels); null where those are unknown.</summary>
    public double? ValAuAucRendered { get; init; }

    /// <summary>Share of validation samples whose nearest semantic template (eq. 9) is their own class; null without templates.</summary>
    public double? ValTemplateAccuracy { get; init; }

    /// <summary>The share of wrong training labels the robust correction estimates (<see cref="Correction.RobustCorrection.EstimatedNoiseRate"/>), from the relabel start; null elsewhere.</summary>
    public double? EstimatedNoise { get; init; }

    /// <summary>Training throughput over the epoch's steps (loader, train step and the work between steps; validation excluded).</summary>
    public double? ImagesPerSecond { get; init; }

    /// <summary>The process's peak resident memory so far (VmHWM) in MiB at the end of the epoch; null where the system does not report it.</summary>
    public double? PeakRssMib { get; init; }

    /// <summary>Wall time of the epoch, training and evaluation.</summary>
    public double? Seconds { get; init; }
}
