namespace UlcAg.Data.Formats.Text;

/// <summary>Splits one CSV line into fields: comma separated, double-quoted fields with "" escapes.</summary>
internal static class CsvFields
{
    /// <summary>Fills <paramref name="fields"/>; false when a quote is left open (the row is malformed).</summary>
    public static bool Split(string line, List<string> fields)
    {
        fields.Clear();
        if (line.IndexOf('"', StringComparison.Ordinal) < 0)
        {
            // Fast path for the common unquoted line.
            var start = 0;
            while (true)
            {
                var comma = line.IndexOf(',', start);
                if (comma < 0)
                {
                    fields.Add(line[start..]);
                    return true;
                }
                fields.Add(line[start..comma]);
                start = comma + 1;
            }
        }
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"')
                    field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                    quoted = false;
            }
            else if (c == '"')
                quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
                field.Append(c);
        }
        fields.Add(field.ToString());
        return !quoted;
    }
}
