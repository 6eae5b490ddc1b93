using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats.Text;

/// <summary>One line of an annotation file with its 1-based number.</summary>
internal readonly record struct NumberedLine(int Number, string Text);

/// <summary>
/// Streams the lines of an annotation file. A file that is missing or fails while being read is
/// fatal: no policy can skip it without leaving silently incomplete data.
/// </summary>
internal static class AnnotationLines
{
    public static IEnumerable<NumberedLine> Read(string path, string what, IssueReport report)
    {
        StreamReader reader;
        try
        {
            reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            report.Fatal(new DataIssue(IssueKind.UnreadableFile, path, null, null, Reason(e), $"a readable {what}"), e);
            yield break;
        }
        using (reader)
        {
            var number = 0;
            while (true)
            {
                string? text;
                try
                {
                    text = reader.ReadLine();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    report.Fatal(new DataIssue(IssueKind.UnreadableFile, path, number + 1, null, Reason(e), $"a readable {what}"), e);
                    yield break;
                }
                if (text is null)
                    yield break;
                number++;
                yield return new NumberedLine(number, text);
            }
        }
    }

    /// <summary>Throws the fatal UnreadableFile issue when <paramref name="path"/> does not exist.</summary>
    public static void RequireFile(string path, string what, IssueReport report)
    {
        if (!File.Exists(path))
            report.Fatal(new DataIssue(IssueKind.UnreadableFile, path, null, null, "the file does not exist", $"a {what}"));
    }

    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "the file does not exist",
        UnauthorizedAccessException => "access is denied",
        _ => "it cannot be read (" + e.Message + ")",
    };
}
