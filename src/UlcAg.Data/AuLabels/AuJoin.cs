using UlcAg.Data.Formats;
using UlcAg.Data.Issues;

namespace UlcAg.Data.AuLabels;

/// <summary>
/// Joins AU pseudo-labels to samples by <see cref="SampleKey"/> (file stem without "_aligned"),
/// over all splits of a dataset at once, so that rows can be checked against every image.
/// </summary>
/// <remarks>
/// Samples without an accepted AU row keep <see cref="Sample.Aus"/> = null and are counted (rows rejected
/// for success/confidence are counted apart). An accepted or rejected row whose key matches no sample is an
/// <see cref="IssueKind.UnknownAuRow"/> issue. Samples whose keys collide cannot be joined safely: each is a
/// <see cref="IssueKind.DuplicateId"/> issue and keeps no AU labels.
/// </remarks>
public static class AuJoin
{
    /// <summary>Report tally of samples that received AU labels.</summary>
    public const string JoinedTally = "au: samples with AU labels";

    /// <summary>Report tally of samples with no AU row.</summary>
    public const string MissingTally = "au: samples without an AU row";

    /// <summary>Report tally of samples whose AU rows were all rejected (success = 0 or low confidence).</summary>
    public const string RejectedTally = "au: samples whose AU rows were rejected (success/confidence)";

    /// <summary>Report tally of AU rows for images the annotations name but no split holds.</summary>
    public const string NotLoadedTally = "au: rows for images not loaded (dropped by rules or skipped)";

    /// <summary>Returns <paramref name="splits"/> with <see cref="Sample.Aus"/> and <see cref="DatasetSplit.AuNames"/> from <paramref name="table"/>.</summary>
    /// <param name="splits">Every split of the dataset.</param>
    /// <param name="table">The AU labels.</param>
    /// <param name="report">Where issues and counts go.</param>
    /// <param name="otherKnownIds">Ids the annotations name but the splits do not hold (see <see cref="Formats.IDatasetAdapter.DroppedIds"/>): their rows are counted, not reported as unknown.</param>
    public static IReadOnlyList<DatasetSplit> Join(IReadOnlyList<DatasetSplit> splits, AuTable table, IssueReport report, IEnumerable<string>? otherKnownIds = null)
    {
        var known = new HashSet<string>((otherKnownIds ?? []).Select(SampleKey.Of), SampleKey.Comparer);
        var owners = new Dictionary<string, Sample>(SampleKey.Comparer);
        var ambiguous = new HashSet<string>(SampleKey.Comparer);
        foreach (var sample in splits.SelectMany(s => s.Samples))
        {
            var key = SampleKey.Of(sample.Id);
            if (!owners.TryAdd(key, sample) && ambiguous.Add(key))
            {
                report.Raise(new DataIssue(IssueKind.DuplicateId, sample.Id, null, null,
                    $"samples '{owners[key].Id}' and '{sample.Id}' share the AU join key '{key}'", "file stems that are unique over all splits"));
            }
        }
        foreach (var (key, row) in table.Rows.Concat(table.Rejected).OrderBy(r => r.Value.File, StringComparer.Ordinal).ThenBy(r => r.Value.Line))
        {
            if (owners.ContainsKey(key))
                continue;
            if (known.Contains(key))
                report.Tally(NotLoadedTally);
            else
                report.Raise(new DataIssue(IssueKind.UnknownAuRow, row.File, row.Line, null, $"the AU row for image '{key}' matches no sample of the dataset", "AU rows only for images of the loaded splits"));
        }
        var joined = new List<DatasetSplit>(splits.Count);
        foreach (var split in splits)
        {
            var samples = new Sample[split.Samples.Count];
            for (var i = 0; i < samples.Length; i++)
            {
                var sample = split.Samples[i];
                var key = SampleKey.Of(sample.Id);
                float[]? aus = null;
                if (ambiguous.Contains(key))
                    report.Tally(MissingTally);
                else if (table.Rows.TryGetValue(key, out var row))
                {
                    aus = row.Values;
                    report.Tally(JoinedTally);
                }
                else
                    report.Tally(table.Rejected.ContainsKey(key) ? RejectedTally : MissingTally);
                samples[i] = sample with { Aus = aus };
            }
            joined.Add(split with { AuNames = table.AuNames, Samples = samples });
        }
        return joined;
    }
}
