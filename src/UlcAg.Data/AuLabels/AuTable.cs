namespace UlcAg.Data.AuLabels;

/// <summary>
/// AU pseudo-labels keyed by <see cref="Formats.SampleKey"/> (the image's file stem), as read by
/// <see cref="AuTableReader"/>.
/// </summary>
public sealed class AuTable
{
    /// <summary>Creates a table.</summary>
    /// <param name="auNames">The AU names, in value order.</param>
    /// <param name="rows">Accepted rows by key.</param>
    /// <param name="rejected">Keys whose every row was rejected (success = 0 or low confidence), with the first such row's location.</param>
    public AuTable(IReadOnlyList<string> auNames, IReadOnlyDictionary<string, AuRow> rows, IReadOnlyDictionary<string, AuRow> rejected)
    {
        AuNames = auNames;
        Rows = rows;
        Rejected = rejected;
    }

    /// <summary>The AU names, in value order.</summary>
    public IReadOnlyList<string> AuNames { get; }

    /// <summary>Accepted rows by key.</summary>
    public IReadOnlyDictionary<string, AuRow> Rows { get; }

    /// <summary>Keys whose every row was rejected; such images count as having no AU labels.</summary>
    public IReadOnlyDictionary<string, AuRow> Rejected { get; }
}
