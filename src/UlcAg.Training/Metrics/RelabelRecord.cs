namespace UlcAg.Training.Metrics;

/// <summary>
/// One relabeling (eq. 9-10): a training sample that took another class, with the evidence. Labels are
/// indices into the run's class names, which are stored beside them for a person reading the file.
/// </summary>
/// <param name="SampleId">The sample's id in the dataset.</param>
/// <param name="Epoch">The epoch in which the label changed.</param>
/// <param name="OldLabel">The label before the change.</param>
/// <param name="OldName">Class name of <paramref name="OldLabel"/>.</param>
/// <param name="NewLabel">The label after the change.</param>
/// <param name="NewName">Class name of <paramref name="NewLabel"/>.</param>
/// <param name="Alpha">The sample's confidence weight (eq. 1) when it was relabeled.</param>
/// <param name="DistanceToOld">Cosine distance of its semantic feature to the old class's template; null for methods without templates.</param>
/// <param name="MinDistance">The smallest distance to any template (that of the new class); null for methods without templates.</param>
/// <param name="CleanLabel">The true label where known.</param>
/// <param name="CleanName">Class name of <paramref name="CleanLabel"/>.</param>
public sealed record RelabelRecord(
    string SampleId,
    int Epoch,
    int OldLabel,
    string OldName,
    int NewLabel,
    string NewName,
    float Alpha,
    float? DistanceToOld,
    float? MinDistance,
    int? CleanLabel,
    string? CleanName)
{
    /// <summary>A record whose class names are looked up in <paramref name="classNames"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is not an index into <paramref name="classNames"/>.</exception>
    public static RelabelRecord Create(
        string sampleId,
        int epoch,
        int oldLabel,
        int newLabel,
        float alpha,
        float? distanceToOld,
        float? minDistance,
        int? cleanLabel,
        IReadOnlyList<string> classNames) =>
        new(sampleId, epoch, oldLabel, Name(oldLabel, classNames), newLabel, Name(newLabel, classNames), alpha,
            distanceToOld, minDistance, cleanLabel, cleanLabel is { } clean ? Name(clean, classNames) : null);

    /// <summary>The classifier's probability of the old label when the rule decided; null where the rule had none.</summary>
    public float? PLabel { get; init; }

    /// <summary>The classifier's probability of the new label.</summary>
    public float? PNew { get; init; }

    /// <summary>The classifier's argmax class.</summary>
    public int? Predicted { get; init; }

    /// <summary>The sample's rank among the candidates the rule examined (1 = least confident).</summary>
    public int? Rank { get; init; }

    /// <summary>Whether the new label is the clean one; null when the clean label is unknown.</summary>
    public bool? IsCorrection => CleanLabel is { } clean ? NewLabel == clean : null;

    private static string Name(int label, IReadOnlyList<string> classNames) =>
        label >= 0 && label < classNames.Count
            ? classNames[label]
            : throw new ArgumentOutOfRangeException(nameof(label), label, $"Label {label} is not a class; expected 0..{classNames.Count - 1}.");
}
