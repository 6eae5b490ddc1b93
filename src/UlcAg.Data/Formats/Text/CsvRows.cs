using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats.Text;

/// <summary>One non-blank CSV line split into fields; the reader reuses the instance for the next line.</summary>
internal sealed class CsvRow
{
    public RowContext At { get; set; }

    /// <summary>False when a quote is left open.</summary>
    public bool Complete { get; set; }

    public List<string> Fields { get; } = [];

    /// <summary>True when the row is complete with <paramref name="expected"/> fields; otherwise raises MalformedRow.</summary>
    public bool HasColumns(int expected, string expectation, IssueReport report)
    {
        if (Complete && Fields.Count == expected)
            return true;
        report.Raise(At.Issue(IssueKind.MalformedRow, null, Complete ? $"the row has {Fields.Count} columns" : "a quote is not closed", expectation));
        return false;
    }
}

/// <summary>Streams the non-blank lines of a CSV file as <see cref="CsvRow"/>s (unreadable files are fatal).</summary>
internal static class CsvRows
{
    public static IEnumerable<CsvRow> Read(string path, string what, IssueReport report)
    {
        var row = new CsvRow();
        foreach (var line in AnnotationLines.Read(path, what, report))
        {
            if (string.IsNullOrWhiteSpace(line.Text))
                continue;
            row.At = new RowContext(path, line.Number);
            row.Complete = CsvFields.Split(line.Text, row.Fields);
            yield return row;
        }
    }
}
