using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats;

/// <summary>
/// Reads one dataset format into <see cref="DatasetSplit"/>s. Issues go to <see cref="Report"/>
/// under the options' policy. Create one with <see cref="DatasetFactory.Create"/>.
/// </summary>
public interface IDatasetAdapter
{
    /// <summary>The format name, e.g. "rafdb".</summary>
    string Format { get; }

    /// <summary>The split names this dataset offers, e.g. "train", "test".</summary>
    IReadOnlyList<string> Splits { get; }

    /// <summary>The class order of the loaded samples and how each source label maps into it.</summary>
    ClassMap ClassMap { get; }

    /// <summary>Issues and rule-based drops of every split loaded so far.</summary>
    IssueReport Report { get; }

    /// <summary>
    /// Ids the annotations name but no loaded split holds: dropped by the format's rules (e.g. AffectNet's
    /// None) or skipped as bad input. Side files (AU rows) naming them are not taken for unknown images.
    /// </summary>
    IReadOnlyCollection<string> DroppedIds { get; }

    /// <summary>Loads one split (a name from <see cref="Splits"/> or an accepted alias such as "validation").</summary>
    /// <exception cref="ArgumentException">The split is unknown.</exception>
    /// <exception cref="DataFormatException">Bad input under <see cref="IssuePolicy.Fail"/>, or an unreadable annotation file.</exception>
    DatasetSplit Load(string split);
}
