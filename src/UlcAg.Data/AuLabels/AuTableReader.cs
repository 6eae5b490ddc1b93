using UlcAg.Data.Formats;
using UlcAg.Data.Formats.Text;
using UlcAg.Data.Issues;

namespace UlcAg.Data.AuLabels;

/// <summary>
/// Reads AU pseudo-labels: OpenFace 2.0 CSVs (header names after the first start with a space,
/// e.g. <c>" AU01_c"</c>; optional <c>success</c> and <c>confidence</c> columns) or a generic CSV
/// (an id/file column and AU columns holding 0/1). The source is a folder with one CSV per image
/// (key = file stem) or a single CSV with a file-name column (key = that name's stem).
/// </summary>
/// <remarks>
/// Rows with success = 0 or confidence below the minimum count as missing. When a file has a
/// confidence column, several rows for one image are several faces and the most confident is kept;
/// without one, a repeated image is a duplicate-id issue.
/// </remarks>
public static class AuTableReader
{
    private static readonly string[] FileColumns = ["file", "filename", "file_name", "image", "image_name", "name", "path", "id", "input"];

    /// <summary>Report tally of images with several face rows (the most confident kept).</summary>
    public const string MultiFaceTally = "au: images with several face rows (most confident kept)";

    /// <summary>Reads the AU source <paramref name="options"/>; relative paths are taken against <paramref name="root"/>.</summary>
    /// <exception cref="DataFormatException">Bad input under Fail, or a source that cannot be used at all.</exception>
    public static AuTable Read(AuSourceOptions options, string root, IssueReport report)
    {
        OptionCheck.ThrowIfInvalid(options.Check, (key, text) => new ArgumentException($"AU option {key} {text}.", nameof(options)));
        var path = Path.GetFullPath(Path.Combine(root, options.Path ?? throw new ArgumentException("The AU source has no path.", nameof(options))));
        var subset = options.Subset?.Select(AuNames.Normalize).ToList();
        var builder = new Builder(options, report);
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, "*.csv").Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
                report.Fatal(new DataIssue(IssueKind.UnreadableFile, path, null, null, "the folder holds no CSV file", "one OpenFace CSV per image (file stem = image stem)"));
            foreach (var file in files)
                ReadFile(file, SampleKey.Of(file), options, subset, builder, report, single: false);
        }
        else if (File.Exists(path))
            ReadFile(path, null, options, subset, builder, report, single: true);
        else
            report.Fatal(new DataIssue(IssueKind.UnreadableFile, path, null, null, "neither a file nor a folder exists there", "an AU CSV or a folder of per-image OpenFace CSVs"));
        return builder.Build(subset);
    }

    private static void ReadFile(string file, string? fileKey, AuSourceOptions options, List<string>? subset, Builder builder, IssueReport report, bool single)
    {
        Layout? layout = null;
        foreach (var row in CsvRows.Read(file, "AU CSV", report))
        {
            var (at, fields) = (row.At, row.Fields);
            if (layout is null)
            {
                layout = Layout.Of(new CsvHeader(fields), at, options, subset ?? builder.AuNames, single, report);
                if (layout is null)
                    return;
                builder.AuNames ??= layout.AuNames;
                continue;
            }
            if (!row.HasColumns(layout.Count, $"{layout.Count} columns as in the header", report))
                continue;
            var key = fileKey ?? SampleKey.Of(fields[layout.File]);
            if (key.Length == 0)
            {
                report.Raise(at.Issue(IssueKind.MalformedRow, layout.FileName, "the image name is empty", "an image file name"));
                continue;
            }
            if (layout.ReadRow(fields, at, options, report) is (float[] values, float confidence, bool accepted))
                builder.Add(key, new AuRow(values, file, at.Line ?? 0, confidence), accepted, layout.HasConfidence, at);
        }
    }

    /// <summary>Where the columns of one AU file are.</summary>
    private sealed record Layout(int Count, int File, string? FileName, int Success, int Confidence, int[] Aus, IReadOnlyList<string> AuNames, AuMode Mode)
    {
        public bool HasConfidence => Confidence >= 0;

        /// <summary>The layout, or null (after raising the issue) when the file must be skipped.</summary>
        public static Layout? Of(CsvHeader header, RowContext at, AuSourceOptions options, IReadOnlyList<string>? wanted, bool single, IssueReport report)
        {
            var byName = new Dictionary<(string Au, char Suffix), int>();
            for (var c = 0; c < header.Names.Count; c++)
            {
                if (AuLabels.AuNames.TryParse(header.Names[c], out var au, out var suffix))
                    byName.TryAdd((au, suffix), c);
            }
            if (byName.Count == 0)
                return Skip(at.Issue(IssueKind.MissingHeader, null, "the first line names no AU column", "a header row with AU columns such as ' AU01_c' or 'AU01'"), single, report);
            var suffixUsed = options.Mode == AuMode.Intensity ? 'r' : byName.Keys.Any(k => k.Suffix == 'c') ? 'c' : '\0';
            var available = byName.Keys.Where(k => k.Suffix == suffixUsed).Select(k => k.Au).ToList();
            if (available.Count == 0)
                return Skip(options.Mode == AuMode.Intensity
                    ? at.Issue(IssueKind.MissingColumn, null, "the header has no intensity columns", "AU intensity columns such as ' AU01_r'")
                    : at.Issue(IssueKind.MissingColumn, null, "the header has no presence columns",
                        "AU presence columns such as ' AU01_c' or 'AU01'" + (byName.Keys.Any(k => k.Suffix == 'r') ? ", or data.au.mode: intensity to threshold its ' AU01_r' columns" : "")),
                    single, report);
            var names = wanted ?? available.OrderBy(a => byName[(a, suffixUsed)]).ToList();
            var aus = new int[names.Count];
            for (var a = 0; a < names.Count; a++)
            {
                if (!byName.TryGetValue((names[a], suffixUsed), out aus[a]))
                    return Skip(at.Issue(IssueKind.MissingColumn, names[a] + (suffixUsed == '\0' ? "" : "_" + suffixUsed), "the header has no such column", "the AU columns " + string.Join(", ", names)), single, report);
            }
            var file = -1;
            string? fileName = null;
            if (single)
            {
                file = options.FileColumn is null ? header.Find(FileColumns) : header.Find(options.FileColumn);
                if (file < 0)
                    report.Fatal(at.Issue(IssueKind.MissingColumn, options.FileColumn, "the header has no image-name column", options.FileColumn is null ? "one of the columns " + string.Join(", ", FileColumns) : $"a column '{options.FileColumn}'"));
                fileName = header.Names[file];
            }
            var mode = suffixUsed == 'r' ? AuMode.Intensity : AuMode.Presence;
            return new Layout(header.Names.Count, file, fileName, header.Find("success"), header.Find("confidence"), aus, names, mode);
        }

        /// <summary>The AU values, confidence and whether the row is accepted; null (after raising the issue) for a bad row.</summary>
        public (float[] Values, float Confidence, bool Accepted)? ReadRow(List<string> fields, RowContext at, AuSourceOptions options, IssueReport report)
        {
            var accepted = true;
            var confidence = 1f;
            if (Success >= 0)
            {
                if (!Numbers.TryFlag(fields[Success], out var success))
                    return Bad(report, at.Issue(IssueKind.BadNumber, "success", $"'{fields[Success].Trim()}' is not a success flag", "0 or 1"));
                accepted = !options.RequireSuccess || success == 1f;
            }
            if (Confidence >= 0)
            {
                if (!Numbers.TryFloat(fields[Confidence], out confidence))
                    return Bad(report, at.Issue(IssueKind.BadNumber, "confidence", $"'{fields[Confidence].Trim()}' is not a number", "a confidence 0..1"));
                accepted &= confidence >= options.MinConfidence;
            }
            var values = new float[Aus.Length];
            for (var a = 0; a < Aus.Length; a++)
            {
                var text = fields[Aus[a]];
                if (Mode == AuMode.Intensity)
                {
                    if (!Numbers.TryFloat(text, out var intensity))
                        return Bad(report, at.Issue(IssueKind.BadNumber, AuNames[a] + "_r", $"'{text.Trim()}' is not a number", "an AU intensity 0..5"));
                    values[a] = intensity >= (float)options.Threshold ? 1f : 0f;
                }
                else if (!Numbers.TryFlag(text, out values[a]))
                    return Bad(report, at.Issue(IssueKind.BadNumber, AuNames[a], $"'{text.Trim()}' is not an AU presence value", "0 or 1"));
            }
            return (values, confidence, accepted);
        }

        private static (float[], float, bool)? Bad(IssueReport report, DataIssue issue)
        {
            report.Raise(issue);
            return null;
        }

        private static Layout? Skip(DataIssue issue, bool single, IssueReport report)
        {
            // A single AU file with an unusable header leaves nothing to join; a per-image file can be skipped.
            if (single)
                report.Fatal(issue);
            report.Raise(issue);
            return null;
        }
    }

    /// <summary>Collects rows, keeping the most confident row per key.</summary>
    private sealed class Builder(AuSourceOptions options, IssueReport report)
    {
        private readonly Dictionary<string, AuRow> _rows = new(SampleKey.Comparer);
        private readonly Dictionary<string, AuRow> _rejected = new(SampleKey.Comparer);
        private readonly HashSet<string> _multiFace = new(SampleKey.Comparer);

        public IReadOnlyList<string>? AuNames { get; set; }

        public void Add(string key, AuRow row, bool accepted, bool multiFaceAllowed, RowContext at)
        {
            var seen = _rows.TryGetValue(key, out var kept) ? kept : _rejected.GetValueOrDefault(key);
            if (seen is not null && !multiFaceAllowed)
            {
                report.Raise(at.Issue(IssueKind.DuplicateId, null, $"image '{key}' already has AU labels on line {seen.Line} of {seen.File}", "one AU row per image"));
                return;
            }
            if (seen is not null && _multiFace.Add(key))
                report.Tally(MultiFaceTally);
            if (!accepted)
            {
                if (kept is null)
                    _rejected.TryAdd(key, row);
                return;
            }
            if (kept is null || row.Confidence > kept.Confidence)
            {
                _rows[key] = row;
                _rejected.Remove(key);
            }
        }

        public AuTable Build(List<string>? subset) =>
            new(AuNames ?? subset ?? (options.Mode == AuMode.Intensity ? AuLabels.AuNames.OpenFaceIntensity : AuLabels.AuNames.OpenFacePresence), _rows, _rejected);
    }
}
