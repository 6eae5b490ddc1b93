using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats;

/// <summary>Puts a split's labels into another class order (by class name), dropping samples of classes left out.</summary>
public static class ClassRemap
{
    /// <summary>Report tally name of samples dropped because their class is not selected.</summary>
    public static string DroppedTally(string className) => $"classes: samples of unselected class {className} dropped";

    /// <summary>
    /// Relabels <paramref name="split"/> into the order <paramref name="classes"/> (e.g. <see cref="ExpressionNames.Common7"/>),
    /// matching names after <see cref="ExpressionNames.Normalize"/>. Samples whose label or clean label is not
    /// selected are dropped and counted in <paramref name="report"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A name in <paramref name="classes"/> is not a class of the split.</exception>
    public static DatasetSplit Apply(DatasetSplit split, IReadOnlyList<string> classes, IssueReport? report = null)
    {
        var map = new ClassMap(split.Dataset, split.ClassNames, []).Select(classes, out var oldToNew);
        return Apply(split, oldToNew, map.ClassNames, report);
    }

    /// <summary>Relabels with a precomputed index map (old index -> new index, -1 = dropped), as from <see cref="ClassMap.Select"/>.</summary>
    public static DatasetSplit Apply(DatasetSplit split, IReadOnlyList<int> oldToNew, IReadOnlyList<string> classNames, IssueReport? report = null)
    {
        var kept = new List<Sample>(split.Samples.Count);
        foreach (var sample in split.Samples)
        {
            var label = oldToNew[sample.Label];
            var clean = sample.CleanLabel is int c ? oldToNew[c] : 0;
            if (label < 0 || clean < 0)
            {
                report?.Tally(DroppedTally(split.ClassNames[label < 0 ? sample.Label : sample.CleanLabel!.Value]));
                continue;
            }
            kept.Add(sample with { Label = label, CleanLabel = sample.CleanLabel is null ? null : clean });
        }
        return split with { ClassNames = classNames, Samples = kept };
    }
}
