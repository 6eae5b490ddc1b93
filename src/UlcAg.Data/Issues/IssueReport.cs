using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace UlcAg.Data.Issues;

/// <summary>
/// Collects bad-input issues under an <see cref="IssuePolicy"/>, and counts of rows that the format's
/// own rules drop (AffectNet's None/Uncertain/No-Face, FERPlus ties, ...) so a trainer can print what
/// was left out and why.
/// </summary>
public sealed class IssueReport
{
    private readonly Dictionary<IssueKind, int> _counts = [];
    private readonly Dictionary<IssueKind, List<DataIssue>> _examples = [];
    private readonly List<KeyValuePair<string, int>> _tallies = [];

    /// <summary>Creates an empty report.</summary>
    /// <param name="policy">Fail throws at the first issue; Skip counts it and lets the reader skip.</param>
    /// <param name="keepMessages">How many issues of each kind are kept as examples.</param>
    public IssueReport(IssuePolicy policy, int keepMessages = 5)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepMessages);
        Policy = policy;
        KeepMessages = keepMessages;
    }

    /// <summary>The policy issues are handled with.</summary>
    public IssuePolicy Policy { get; }

    /// <summary>How many issues of each kind are kept as examples.</summary>
    public int KeepMessages { get; }

    /// <summary>The number of issues raised so far, over all kinds.</summary>
    public int Total => _counts.Values.Sum();

    /// <summary>Issue counts per kind (kinds with no issue are absent).</summary>
    public IReadOnlyDictionary<IssueKind, int> Counts => _counts;

    /// <summary>Counts of rule-based outcomes in the order first seen, e.g. "ferplus: ties dropped".</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Tallies => _tallies;

    /// <summary>The number of issues of <paramref name="kind"/>.</summary>
    public int Count(IssueKind kind) => _counts.GetValueOrDefault(kind);

    /// <summary>The first <see cref="KeepMessages"/> issues of <paramref name="kind"/>.</summary>
    public IReadOnlyList<DataIssue> Examples(IssueKind kind) =>
        _examples.TryGetValue(kind, out var list) ? list : [];

    /// <summary>The count recorded under <paramref name="what"/>, 0 if none.</summary>
    public int TallyOf(string what)
    {
        foreach (var (name, count) in _tallies)
        {
            if (name == what)
                return count;
        }
        return 0;
    }

    /// <summary>Adds <paramref name="count"/> to the rule-based tally <paramref name="what"/>.</summary>
    public void Tally(string what, int count = 1)
    {
        for (var i = 0; i < _tallies.Count; i++)
        {
            if (_tallies[i].Key == what)
            {
                _tallies[i] = new(what, _tallies[i].Value + count);
                return;
            }
        }
        _tallies.Add(new(what, count));
    }

    /// <summary>
    /// Reports an issue: under <see cref="IssuePolicy.Fail"/> throws a <see cref="DataFormatException"/>;
    /// under <see cref="IssuePolicy.Skip"/> records it and returns, and the caller skips the offending item.
    /// </summary>
    public void Raise(DataIssue issue)
    {
        Record(issue);
        if (Policy == IssuePolicy.Fail)
            throw new DataFormatException(issue);
    }

    /// <summary>Reports an issue that leaves nothing to continue with (e.g. an unreadable annotation file): throws under every policy.</summary>
    [DoesNotReturn]
    public void Fatal(DataIssue issue, Exception? cause = null)
    {
        Record(issue);
        throw cause is null ? new DataFormatException(issue) : new DataFormatException(issue, cause);
    }

    /// <summary>A printable summary: counts and example messages per kind, then the tallies.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("Data issues (policy ").Append(Policy).Append("): ").Append(Total).AppendLine(Total == 1 ? " issue" : " issues");
        foreach (var kind in Enum.GetValues<IssueKind>())
        {
            var count = Count(kind);
            if (count == 0)
                continue;
            text.Append("  ").Append(kind).Append(": ").Append(count).AppendLine();
            foreach (var issue in Examples(kind))
                text.Append("    ").AppendLine(issue.Message);
            if (count > Examples(kind).Count)
                text.Append("    ... ").Append(count - Examples(kind).Count).AppendLine(" more");
        }
        foreach (var (what, count) in _tallies)
            text.Append("  ").Append(what).Append(": ").Append(count).AppendLine();
        return text.ToString();
    }

    private void Record(DataIssue issue)
    {
        _counts[issue.Kind] = Count(issue.Kind) + 1;
        if (!_examples.TryGetValue(issue.Kind, out var list))
            _examples[issue.Kind] = list = [];
        if (list.Count < KeepMessages)
            list.Add(issue);
    }
}
