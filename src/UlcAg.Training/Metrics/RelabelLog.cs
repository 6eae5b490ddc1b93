using System.Globalization;

namespace UlcAg.Training.Metrics;

/// <summary>
/// <c>relabels.csv</c>: the audit trail of relabeling, one row per label change
/// (<see cref="RelabelRecord"/>) under the header <see cref="Header"/>. Numbers use the invariant culture;
/// unknown values are empty fields.
/// </summary>
public static class RelabelLog
{
    /// <summary>The column names, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["sample_id", "epoch", "old_label", "old_name", "new_label", "new_name", "alpha", "distance_old", "distance_min", "clean_label", "clean_name", "p_label", "p_new", "predicted", "rank"];

    /// <summary>The header line.</summary>
    public static string Header { get; } = string.Join(",", Columns);

    /// <summary>The CSV line for <paramref name="record"/> (without the '\n').</summary>
    public static string ToCsv(RelabelRecord record) => CsvLine.Join(
    [
        record.SampleId,
        Format(record.Epoch),
        Format(record.OldLabel),
        record.OldName,
        Format(record.NewLabel),
        record.NewName,
        Format(record.Alpha),
        Format(record.DistanceToOld),
        Format(record.MinDistance),
        record.CleanLabel is { } clean ? Format(clean) : "",
        record.CleanName ?? "",
        Format(record.PLabel),
        Format(record.PNew),
        record.Predicted is { } predicted ? Format(predicted) : "",
        record.Rank is { } rank ? Format(rank) : "",
    ]);

    /// <summary>
    /// Reads every row of <paramref name="path"/>. An incomplete last line (a crash mid-write; the writer
    /// ends every row with '\n') is left out with a note in <see cref="LogContents{T}.Warning"/>; any other
    /// bad row is an error.
    /// </summary>
    /// <exception cref="MetricsFileException">The file is missing or unreadable, has another header, or a row is malformed.</exception>
    public static LogContents<RelabelRecord> Read(string path)
    {
        if (!File.Exists(path))
            throw new MetricsFileException(path, null, "not found; expected the relabel audit of a run (CSV with header " + Header + ").");
        return LogLines.Collect(path, ParseLines(path));
    }

    /// <summary>
    /// Drops every row of an epoch after <paramref name="epoch"/> (and an incomplete last line), rewriting
    /// the file atomically, for resuming from a checkpoint of that epoch. A missing file is left missing.
    /// </summary>
    /// <returns>The number of rows dropped.</returns>
    /// <exception cref="MetricsFileException">The header or a complete row is malformed.</exception>
    public static int TruncateAfter(string path, int epoch) =>
        File.Exists(path) ? LogLines.KeepThrough(path, [Header], ParseLines(path), r => r.Epoch, epoch) : 0;

    /// <summary>Checks that <paramref name="line"/> (line 1 of <paramref name="path"/>) is <see cref="Header"/>.</summary>
    internal static void CheckHeader(string path, string line)
    {
        if (line != Header)
            throw new MetricsFileException(path, 1, $"header is '{line}'; expected '{Header}'.");
    }

    /// <summary>Each data row with its record; the record is null for an incomplete last line.</summary>
    private static IEnumerable<(LogLines.Line Line, RelabelRecord? Record)> ParseLines(string path)
    {
        var lines = LogLines.Read(path);
        if (lines.Count == 0 || lines[0].Unterminated)
            yield break;
        CheckHeader(path, lines[0].Text);
        foreach (var line in lines.Skip(1))
        {
            if (line.Unterminated)
                yield return (line, null);
            else if (!string.IsNullOrWhiteSpace(line.Text))
                yield return (line, Parse(path, line));
        }
    }

    private static RelabelRecord Parse(string path, LogLines.Line line)
    {
        List<string> fields;
        try
        {
            fields = CsvLine.Split(line.Text);
        }
        catch (FormatException e)
        {
            throw new MetricsFileException(path, line.Number, e.Message + ".", e);
        }
        if (fields.Count != Columns.Count)
            throw new MetricsFileException(path, line.Number, $"has {fields.Count} fields; expected {Columns.Count} ({Header}).");
        return new RelabelRecord(
            SampleId: fields[0],
            Epoch: ParseInt(path, line.Number, fields, 1),
            OldLabel: ParseInt(path, line.Number, fields, 2),
            OldName: fields[3],
            NewLabel: ParseInt(path, line.Number, fields, 4),
            NewName: fields[5],
            Alpha: ParseFloat(path, line.Number, fields, 6) ?? throw Bad(path, line.Number, 6, fields[6], "a number"),
            DistanceToOld: ParseFloat(path, line.Number, fields, 7),
            MinDistance: ParseFloat(path, line.Number, fields, 8),
            CleanLabel: fields[9].Length == 0 ? null : ParseInt(path, line.Number, fields, 9),
            CleanName: fields[10].Length == 0 ? null : fields[10])
        {
            PLabel = ParseFloat(path, line.Number, fields, 11),
            PNew = ParseFloat(path, line.Number, fields, 12),
            Predicted = fields[13].Length == 0 ? null : ParseInt(path, line.Number, fields, 13),
            Rank = fields[14].Length == 0 ? null : ParseInt(path, line.Number, fields, 14),
        };
    }

    private static int ParseInt(string path, int line, List<string> fields, int column) =>
        int.TryParse(fields[column], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad(path, line, column, fields[column], "an integer");

    private static float? ParseFloat(string path, int line, List<string> fields, int column)
    {
        if (fields[column].Length == 0)
            return null;
        return float.TryParse(fields[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad(path, line, column, fields[column], "a number or nothing");
    }

    private static MetricsFileException Bad(string path, int line, int column, string text, string expected) =>
        new(path, line, $"column '{Columns[column]}' is '{text}'; expected {expected}.");

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(float? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
