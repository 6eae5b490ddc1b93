using UlcAg.Data.Issues;
using UlcAg.Data.Noise;

namespace UlcAg.Data.Formats.Text;

/// <summary>
/// Reads RAF-DB's list format, <c>train_00001.jpg 5</c> per line with 1-based labels: the RAF-DB
/// annotation list and the noisy label lists published for it.
/// </summary>
internal static class LabelListFile
{
    /// <summary>The valid entries; bad lines are raised, and <paramref name="rejected"/> hears the names of lines skipped after their name was read.</summary>
    public static IEnumerable<LabelListEntry> Read(string path, string what, int classCount, IssueReport report, Action<string>? rejected = null)
    {
        AnnotationLines.RequireFile(path, what, report);
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in AnnotationLines.Read(path, what, report))
        {
            if (string.IsNullOrWhiteSpace(line.Text))
                continue;
            var at = new RowContext(path, line.Number);
            var parts = line.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                report.Raise(at.Issue(IssueKind.MalformedRow, null, $"the line has {parts.Length} fields", "'<image name> <label>' such as 'train_00001.jpg 5'"));
                continue;
            }
            var (name, text) = (parts[0], parts[1]);
            if (firstLine.TryGetValue(name, out var first))
                report.Raise(at.Issue(IssueKind.DuplicateId, "name", $"'{name}' already appeared on line {first}", "each image once"));
            else if (!Numbers.TryInt(text, out var label))
                report.Raise(at.Issue(IssueKind.BadNumber, "label", $"'{text}' is not an integer", $"an integer 1..{classCount}"));
            else if (label < 1 || label > classCount)
                report.Raise(at.Issue(IssueKind.BadLabel, "label", $"{label} is out of range", $"an integer 1..{classCount}"));
            else
            {
                firstLine[name] = line.Number;
                yield return new LabelListEntry(name, label - 1, line.Number);
                continue;
            }
            rejected?.Invoke(name);
        }
    }
}
