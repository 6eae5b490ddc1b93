using UlcAg.Data.AuLabels;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats;

/// <summary>
/// A dataset as the trainer sees it: the format's adapter, then the class selection
/// (<see cref="DatasetOptions.Classes"/>), the AU join (<see cref="DatasetOptions.Aus"/>) and the
/// empty-class check, with all issues in one <see cref="Report"/>.
/// </summary>
/// <remarks>
/// With an AU source, the first <see cref="Load"/> reads every split, because AU rows are checked
/// against all images of the dataset and join keys must be unique over all splits.
/// </remarks>
public sealed class DatasetSource : IDatasetAdapter
{
    private readonly Dictionary<string, DatasetSplit> _prepared = new(StringComparer.Ordinal);
    private readonly int[]? _oldToNew;

    /// <summary>Opens the dataset described by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">Unknown format, or a class selection naming a class the dataset lacks.</exception>
    public DatasetSource(DatasetOptions options, IssueReport? report = null)
    {
        Options = options;
        Report = report ?? new IssueReport(options.Policy, options.KeepMessages);
        Adapter = DatasetFactory.Create(options, Report);
        if (options.Classes is { } classes)
        {
            ClassMap = Adapter.ClassMap.Select(classes, out var oldToNew);
            _oldToNew = oldToNew;
        }
        else
            ClassMap = Adapter.ClassMap;
    }

    /// <summary>The options the source was opened with.</summary>
    public DatasetOptions Options { get; }

    /// <summary>The format adapter underneath.</summary>
    public IDatasetAdapter Adapter { get; }

    /// <inheritdoc/>
    public string Format => Adapter.Format;

    /// <inheritdoc/>
    public IReadOnlyList<string> Splits => Adapter.Splits;

    /// <summary>The class order after <see cref="DatasetOptions.Classes"/>, and how source labels map into it.</summary>
    public ClassMap ClassMap { get; }

    /// <inheritdoc/>
    public IssueReport Report { get; }

    /// <summary>Report tally name of samples dropped by the class selection.</summary>
    public static string UnselectedTally(string className) => $"classes: samples of unselected class {className} dropped";

    /// <inheritdoc/>
    public DatasetSplit Load(string split)
    {
        var raw = Adapter.Load(split);
        if (_prepared.TryGetValue(raw.Split, out var done))
            return done;
        if (Options.Aus is null)
            _prepared[raw.Split] = Check(SelectClasses(raw));
        else
            PrepareAllWithAus(Options.Aus);
        return _prepared[raw.Split];
    }

    /// <summary>Loads every split.</summary>
    public IReadOnlyList<DatasetSplit> LoadAll() => [.. Splits.Select(Load)];

    private void PrepareAllWithAus(AuSourceOptions aus)
    {
        var raw = Splits.Select(Adapter.Load).ToList();
        if (raw.FirstOrDefault(s => s.AuNames.Count > 0) is { } withColumns)
            throw new ArgumentException($"Split '{withColumns.Split}' of '{Format}' already has AU columns; expected either AU columns in the list or an AU source, not both.", nameof(aus));
        var table = AuTableReader.Read(aus, Options.Root, Report);
        var joined = AuJoin.Join([.. raw.Select(SelectClasses)], table, Report);
        foreach (var split in joined)
            _prepared[split.Split] = Check(split);
    }

    private DatasetSplit SelectClasses(DatasetSplit split)
    {
        if (_oldToNew is null)
            return split;
        var kept = new List<Sample>(split.Samples.Count);
        foreach (var sample in split.Samples)
        {
            var label = _oldToNew[sample.Label];
            var clean = sample.CleanLabel is int c ? _oldToNew[c] : 0;
            if (label < 0 || clean < 0)
            {
                Report.Tally(UnselectedTally(split.ClassNames[label < 0 ? sample.Label : sample.CleanLabel!.Value]));
                continue;
            }
            kept.Add(sample with { Label = label, CleanLabel = sample.CleanLabel is null ? null : clean });
        }
        return split with { ClassNames = ClassMap.ClassNames, Samples = kept };
    }

    private DatasetSplit Check(DatasetSplit split)
    {
        if (!Options.CheckEmptyClasses)
            return split;
        var counts = new int[split.ClassNames.Count];
        foreach (var sample in split.Samples)
            counts[sample.Label]++;
        for (var c = 0; c < counts.Length; c++)
        {
            if (counts[c] == 0)
            {
                Report.Raise(new DataIssue(IssueKind.EmptyClass, Options.Resolve("."), null, split.ClassNames[c],
                    $"split '{split.Split}' has no sample of class '{split.ClassNames[c]}'", "at least one sample per class (or a class selection without it)"));
            }
        }
        return split;
    }
}
