using System.Text;

namespace UlcAg.Training.Metrics;

/// <summary>One CSV line (RFC 4180 quoting; a field holds no line break): joining fields, splitting them back.</summary>
internal static class CsvLine
{
    public static string Join(IEnumerable<string> fields) => string.Join(",", fields.Select(Quote));

    /// <summary>The fields of <paramref name="line"/>.</summary>
    /// <exception cref="FormatException">A quoted field is not closed, or text follows a closing quote.</exception>
    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                        throw new FormatException($"field {fields.Count + 1} opens a quote that is never closed");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                if (i < line.Length && line[i] != ',')
                    throw new FormatException($"field {fields.Count + 1} has text after its closing quote");
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                    field.Append(line[i++]);
            }
            fields.Add(field.ToString());
            if (i >= line.Length)
                return fields;
            i++; // the comma
        }
    }

    private static string Quote(string field)
    {
        if (field.Contains('\n') || field.Contains('\r'))
            throw new ArgumentException($"CSV field '{field.ReplaceLineEndings(" ")}' contains a line break, which one-line-per-entry logs cannot hold.", nameof(field));
        return field.AsSpan().IndexOfAny(",\"") >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
    }
}
