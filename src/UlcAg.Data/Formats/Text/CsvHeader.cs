namespace UlcAg.Data.Formats.Text;

/// <summary>Column names of a CSV header, trimmed (OpenFace writes them with a leading space).</summary>
internal sealed class CsvHeader
{
    public CsvHeader(IEnumerable<string> fields) => Names = [.. fields.Select(f => f.Trim())];

    public IReadOnlyList<string> Names { get; }

    /// <summary>Index of the first column named any of <paramref name="names"/> (case-insensitive), -1 if none.</summary>
    public int Find(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            for (var i = 0; i < Names.Count; i++)
            {
                if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase))
                    return i;
            }
        }
        return -1;
    }
}
