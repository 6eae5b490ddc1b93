using System.Globalization;
using System.Text;
using UlcAg.Data.Formats;
using UlcAg.Data.Formats.Text;
using UlcAg.Data.Issues;
using UlcAg.IO;

namespace UlcAg.Data.Noise;

/// <summary>
/// Label lists in RAF-DB's format, one <c>train_00001.jpg 5</c> line per image with 1-based labels in
/// the split's class order, as the field publishes its noisy RAF-DB label sets. Lists are matched to
/// samples by id, else by <see cref="SampleKey"/>.
/// </summary>
public static class NoisyLabelList
{
    /// <summary>Report tally of listed samples whose label the list changed.</summary>
    public const string ChangedTally = "label list: labels changed";

    /// <summary>Report tally of samples the list does not name (their label is kept).</summary>
    public const string UnlistedTally = "label list: samples not in the list (label kept)";

    /// <summary>Writes one line per sample of <paramref name="split"/> with its current label, atomically.</summary>
    /// <exception cref="ArgumentException">A sample id contains white space, which the format cannot hold.</exception>
    public static void Write(string path, DatasetSplit split)
    {
        var text = new StringBuilder();
        foreach (var sample in split.Samples)
        {
            if (sample.Id.Length == 0 || sample.Id.Any(char.IsWhiteSpace))
                throw new ArgumentException($"Sample id '{sample.Id}' is empty or contains white space; expected ids without spaces for a label list.", nameof(split));
            text.Append(sample.Id).Append(' ').Append((sample.Label + 1).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Reads a label list for a split with <paramref name="classCount"/> classes.</summary>
    /// <exception cref="DataFormatException">An unreadable file, or bad lines under Fail.</exception>
    public static IReadOnlyList<LabelListEntry> Read(string path, int classCount, IssueReport report) =>
        [.. LabelListFile.Read(path, "label list", classCount, report)];

    /// <summary>
    /// Sets the labels of the listed samples. A sample's label before the list is kept as its
    /// <see cref="Sample.CleanLabel"/> (unless it already has one); unlisted samples are unchanged and counted.
    /// </summary>
    /// <param name="split">The split to relabel.</param>
    /// <param name="entries">The list, from <see cref="Read"/>.</param>
    /// <param name="source">The list's file, for messages.</param>
    /// <param name="report">Where names matching no sample go (<see cref="IssueKind.UnknownSample"/>).</param>
    public static DatasetSplit Apply(DatasetSplit split, IReadOnlyList<LabelListEntry> entries, string source, IssueReport report)
    {
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        var byKey = new Dictionary<string, int>(SampleKey.Comparer);
        var ambiguous = new HashSet<string>(SampleKey.Comparer);
        for (var i = 0; i < split.Samples.Count; i++)
        {
            byId.TryAdd(split.Samples[i].Id, i);
            if (!byKey.TryAdd(SampleKey.Of(split.Samples[i].Id), i))
                ambiguous.Add(SampleKey.Of(split.Samples[i].Id));
        }
        var samples = split.Samples.ToArray();
        var listed = new bool[samples.Length];
        foreach (var entry in entries)
        {
            var key = SampleKey.Of(entry.Name);
            if (!byId.TryGetValue(entry.Name, out var i) && (ambiguous.Contains(key) || !byKey.TryGetValue(key, out i)))
            {
                var problem = ambiguous.Contains(key) ? $"'{entry.Name}' matches several samples by file stem" : $"'{entry.Name}' is not a sample of split '{split.Split}'";
                report.Raise(new DataIssue(IssueKind.UnknownSample, source, entry.Line, "name", problem, $"names of the {split.Dataset} {split.Split} split"));
                continue;
            }
            if (entry.Label >= split.ClassNames.Count)
            {
                report.Raise(new DataIssue(IssueKind.BadLabel, source, entry.Line, "label", $"{entry.Label + 1} is out of range", $"an integer 1..{split.ClassNames.Count}"));
                continue;
            }
            if (listed[i])
            {
                report.Raise(new DataIssue(IssueKind.DuplicateId, source, entry.Line, "name", $"'{entry.Name}' names sample '{samples[i].Id}' a second time", "each image once"));
                continue;
            }
            listed[i] = true;
            if (samples[i].Label != entry.Label)
                report.Tally(ChangedTally);
            samples[i] = samples[i] with { Label = entry.Label, CleanLabel = samples[i].CleanLabel ?? samples[i].Label };
        }
        var unlisted = listed.Count(l => !l);
        if (unlisted > 0)
            report.Tally(UnlistedTally, unlisted);
        return split with { Samples = samples };
    }

    /// <summary>Reads the list at <paramref name="path"/> and applies it to <paramref name="split"/>.</summary>
    public static DatasetSplit Apply(DatasetSplit split, string path, IssueReport report) =>
        Apply(split, Read(path, split.ClassNames.Count, report), path, report);
}
