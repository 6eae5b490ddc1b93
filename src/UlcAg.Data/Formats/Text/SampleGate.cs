using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats.Text;

/// <summary>
/// The checks every adapter applies before it accepts a sample of a split: the id is new and,
/// when asked for, the image file exists.
/// </summary>
internal sealed class SampleGate(IssueReport report, bool checkImages)
{
    private readonly Dictionary<string, int> _firstLine = new(StringComparer.Ordinal);

    /// <summary>False (after raising the issue) when the sample must be skipped.</summary>
    public bool Admit(RowContext at, string id, string? imagePath)
    {
        if (_firstLine.TryGetValue(id, out var first))
        {
            report.Raise(at.Issue(IssueKind.DuplicateId, null, $"sample '{id}' already appeared on line {first}", "each sample once per split"));
            return false;
        }
        if (checkImages && imagePath is not null && !File.Exists(imagePath))
        {
            report.Raise(at.Issue(IssueKind.MissingImage, null, $"image file '{imagePath}' of sample '{id}' does not exist", "an existing image file"));
            return false;
        }
        _firstLine[id] = at.Line ?? 0;
        return true;
    }
}
