using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats.Text;

/// <summary>The file and line a reader is on, to build issues that name both.</summary>
internal readonly record struct RowContext(string File, int? Line)
{
    public DataIssue Issue(IssueKind kind, string? field, string problem, string expected) =>
        new(kind, File, Line, field, problem, expected);
}
