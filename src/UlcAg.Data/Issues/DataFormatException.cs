namespace UlcAg.Data.Issues;

/// <summary>
/// Bad dataset input under <see cref="IssuePolicy.Fail"/> (or input no policy can skip, such as an
/// unreadable annotation file). The message names file, line, field and what was expected.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="issue"/>.</summary>
    public DataFormatException(DataIssue issue)
        : base(issue.Message) => Issue = issue;

    /// <summary>Creates the exception for <paramref name="issue"/> caused by <paramref name="inner"/> (e.g. an I/O error).</summary>
    public DataFormatException(DataIssue issue, Exception inner)
        : base(issue.Message, inner) => Issue = issue;

    /// <summary>The problem, with its location.</summary>
    public DataIssue Issue { get; }
}
