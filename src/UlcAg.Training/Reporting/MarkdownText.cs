using System.Globalization;

namespace UlcAg.Training.Reporting;

/// <summary>Number and text formatting for markdown tables: invariant culture, "n/a" for unknown values.</summary>
internal static class MarkdownText
{
    public const string Missing = "n/a";

    public static string Percent(double? share, int decimals = 2) =>
        share is { } s && double.IsFinite(s) ? (s * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%" : Missing;

    public static string Number(double? value, string format = "0.0000") =>
        value is { } v ? double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture) : Missing;

    public static string Integer(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A learning rate: 0.01, 0.001, 5e-05 as a person would write them.</summary>
    public static string Rate(double value) => value.ToString("0.#######", CultureInfo.InvariantCulture);

    public static string Duration(double seconds)
    {
        var time = TimeSpan.FromSeconds(seconds);
        if (time.TotalHours >= 1)
            return $"{(int)time.TotalHours} h {time.Minutes} min";
        if (time.TotalMinutes >= 1)
            return $"{time.Minutes} min {time.Seconds} s";
        return seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
    }

    /// <summary>Text for a table cell: pipes escaped, line breaks flattened.</summary>
    public static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|");

    /// <summary>A path for a markdown link: '/' separators, spaces escaped.</summary>
    public static string LinkTarget(string path) => path.Replace('\\', '/').Replace(" ", "%20");

    public static void Table(System.Text.StringBuilder text, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        text.Append("| ").AppendJoin(" | ", header.Select(Cell)).Append(" |\n");
        text.Append('|').AppendJoin('|', header.Select(_ => "---")).Append("|\n");
        foreach (var row in rows)
            text.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
        text.Append('\n');
    }
}
