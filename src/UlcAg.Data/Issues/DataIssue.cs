using System.Text;

namespace UlcAg.Data.Issues;

/// <summary>
/// One problem found in the input: which file, line and field, what was found and what was expected.
/// <see cref="Message"/> is the user-facing text.
/// </summary>
/// <param name="Kind">The kind of problem.</param>
/// <param name="File">The file (or folder) the problem is in.</param>
/// <param name="Line">1-based line number, when the problem is on one line.</param>
/// <param name="Field">Column or field name, when the problem is in one field.</param>
/// <param name="Problem">What was found, e.g. "'9' is out of range".</param>
/// <param name="Expected">What was expected instead, e.g. "an integer 1..7".</param>
public sealed record DataIssue(IssueKind Kind, string File, int? Line, string? Field, string Problem, string Expected)
{
    /// <summary>"file, line 3, field 'label': '9' is out of range; expected an integer 1..7."</summary>
    public string Message
    {
        get
        {
            var text = new StringBuilder(File);
            if (Line is int line)
                text.Append(", line ").Append(line);
            if (Field is not null)
                text.Append(", field '").Append(Field).Append('\'');
            text.Append(": ").Append(Problem).Append("; expected ").Append(Expected).Append('.');
            return text.ToString();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Message;
}
