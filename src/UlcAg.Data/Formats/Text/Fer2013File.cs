using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats.Text;

/// <summary>One data row of fer2013.csv; the fields are null when the row has the wrong column count.</summary>
internal sealed record Fer2013Row(RowContext At, int Index, int FieldCount, int ExpectedCount, string? Emotion, string? Pixels, string? Usage)
{
    public bool Complete => Emotion is not null;

    /// <summary>Raises the issue of an incomplete row.</summary>
    public void RaiseMalformed(IssueReport report) =>
        report.Raise(At.Issue(IssueKind.MalformedRow, null, $"the row has {FieldCount} columns", $"{ExpectedCount} columns (emotion,pixels,Usage)"));
}

/// <summary>
/// Streams fer2013.csv (<c>emotion,pixels,Usage</c>; 48x48 gray pixels as space-separated 0..255)
/// row by row, numbering data rows from 0 so FERPlus can pair them with its own rows.
/// </summary>
internal static class Fer2013File
{
    private static readonly string[] ColumnNames = ["emotion", "pixels", "Usage"];

    public const int Side = 48;

    public static IEnumerable<Fer2013Row> Read(string path, IssueReport report)
    {
        AnnotationLines.RequireFile(path, "FER2013 CSV", report);
        int[]? column = null;
        var expected = 3;
        var index = 0;
        foreach (var row in CsvRows.Read(path, "FER2013 CSV", report))
        {
            var (at, fields) = (row.At, row.Fields);
            if (column is null)
            {
                var header = new CsvHeader(fields);
                if (header.Find("emotion") >= 0 || header.Find("pixels") >= 0)
                {
                    column = [header.Find("emotion"), header.Find("pixels"), header.Find("Usage")];
                    var missing = Array.IndexOf(column, -1);
                    if (missing >= 0)
                        report.Fatal(at.Issue(IssueKind.MissingColumn, ColumnNames[missing], "the header has no such column", "the header 'emotion,pixels,Usage'"));
                    expected = fields.Count;
                    continue;
                }
                report.Raise(at.Issue(IssueKind.MissingHeader, null, "the first line is not a header row", "the header 'emotion,pixels,Usage'"));
                column = [0, 1, 2];
            }
            yield return row.Complete && fields.Count == expected
                ? new Fer2013Row(at, index++, fields.Count, expected, fields[column[0]], fields[column[1]], fields[column[2]].Trim())
                : new Fer2013Row(at, index++, fields.Count, expected, null, null, null);
        }
    }

    /// <summary>Parses the 48x48 pixel field; raises BadPixels and returns null when it is not 2304 values 0..255.</summary>
    public static byte[]? Pixels(Fer2013Row row, IssueReport report)
    {
        var text = row.Pixels.AsSpan();
        var pixels = new byte[Side * Side];
        var count = 0;
        var i = 0;
        // A hand-written loop: fer2013.csv holds 80 million pixel characters.
        while (true)
        {
            while (i < text.Length && text[i] == ' ')
                i++;
            if (i == text.Length)
                break;
            var start = i;
            var value = 0;
            while (i < text.Length && text[i] != ' ')
            {
                var digit = text[i] - '0';
                value = digit is >= 0 and <= 9 && value <= 255 ? value * 10 + digit : int.MaxValue;
                i++;
            }
            if (value > 255)
            {
                report.Raise(row.At.Issue(IssueKind.BadPixels, "pixels", $"value {count + 1} '{text[start..i]}' is not an integer 0..255", $"{pixels.Length} space-separated integers 0..255"));
                return null;
            }
            if (count < pixels.Length)
                pixels[count] = (byte)value;
            count++;
        }
        if (count != pixels.Length)
        {
            report.Raise(row.At.Issue(IssueKind.BadPixels, "pixels", $"it holds {count} values", $"{pixels.Length} space-separated integers 0..255 (48x48)"));
            return null;
        }
        return pixels;
    }

    /// <summary>The split of a Usage value: Training -> train, PublicTest -> val, PrivateTest -> test; null if unknown.</summary>
    public static string? Split(string usage) => usage.ToUpperInvariant() switch
    {
        "TRAINING" => "train",
        "PUBLICTEST" => "val",
        "PRIVATETEST" => "test",
        _ => null,
    };

    public static readonly string[] Splits = ["train", "val", "test"];

    public static readonly IReadOnlyDictionary<string, string> SplitAliases = new Dictionary<string, string>
    {
        ["training"] = "train", ["publictest"] = "val", ["validation"] = "val", ["privatetest"] = "test",
    };

    public static FaceBox Box => new(0, 0, Side, Side);
}
