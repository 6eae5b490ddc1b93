using UlcAg.Training.Metrics;

namespace UlcAg.Training.Reporting;

/// <summary>What a run summary (<c>report.md</c>) is made from.</summary>
public sealed record RunReport
{
    /// <summary>The training method, e.g. "ULC-AG", "SCN", "cross-entropy baseline".</summary>
    public required string Method { get; init; }

    /// <summary>The dataset, e.g. "RAF-DB basic".</summary>
    public required string Dataset { get; init; }

    /// <summary>The training label noise, e.g. "30% symmetric (seed 1)"; null for the labels as published.</summary>
    public string? Noise { get; init; }

    /// <summary>Class names in label order.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>The per-epoch entries of <c>metrics.jsonl</c>.</summary>
    public IReadOnlyList<EpochMetrics> Epochs { get; init; } = [];

    /// <summary>The final model's confusion matrix on the test split; null when it was not tested.</summary>
    public ConfusionMatrix? Test { get; init; }

    /// <summary>Name of the split <see cref="Test"/> comes from.</summary>
    public string TestSplit { get; init; } = "test";

    /// <summary>Alpha of the training samples at one epoch, for the clean-vs-noisy histogram; null to leave it out.</summary>
    public AlphaSnapshot? Alpha { get; init; }

    /// <summary>The training labels at the start and the end and the clean ones, for the per-class correction table; null where the clean labels are unknown or nothing was relabeled.</summary>
    public TrainingLabels? Labels { get; init; }

    /// <summary>The AU branch on the test split (AU AUC, template accuracy, the comparison with the rendered AUs); null without the branch.</summary>
    public Methods.BranchScores? Branches { get; init; }

    /// <summary>Other settings worth stating (batch size, image size, device, ...), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = [];

    /// <summary>Where the run's files are.</summary>
    public IReadOnlyList<ReportLink> Files { get; init; } = [];
}

/// <summary>Each training sample's label at the start (possibly noisy), at the end (after correction) and its clean label.</summary>
public sealed record TrainingLabels(IReadOnlyList<int> Initial, IReadOnlyList<int> Final, IReadOnlyList<int> Clean);
