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
    private readonly Lazy<(ClassMap Map, int[]? OldToNew)> _classes;
    private readonly HashSet<string> _unselected = new(StringComparer.Ordinal);

    /// <summary>Opens the dataset described by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">Unknown format.</exception>
    public DatasetSource(DatasetOptions options, IssueReport? report = null)
    {
        Options = options;
        Report = report ?? new IssueReport(options.Policy, options.KeepMessages);
        Adapter = DatasetFactory.Create(options, Report);
        // Lazy: some adapters (folder, csv) scan files to learn their classes.
        _classes = new(() => options.Classes is { } classes
            ? (Adapter.ClassMap.Select(classes, out var oldToNew), oldToNew)
            : (Adapter.ClassMap, null));
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
    /// <exception cref="ArgumentException">The class selection names a class the dataset lacks.</exception>
    public ClassMap ClassMap => _classes.Value.Map;

    /// <inheritdoc/>
    public IssueReport Report { get; }

    /// <summary>The adapter's dropped ids and those of samples left out by the class selection.</summary>
    public IReadOnlyCollection<string> DroppedIds => [.. Adapter.DroppedIds.Union(_unselected)];

    /// <inheritdoc/>
    public DatasetSplit Load(string split)
    {
        // A class selection naming a class the dataset lacks is a configuration error: report it before reading.
        _ = ClassMap;
        var raw = Adapter.Load(split);
        if (_prepared.TryGetValue(raw.Split, out var done))
            return done;
        if (Options.Aus is { Source: not AuSource.None } aus)
            PrepareAllWithAus(aus);
        else
            _prepared[raw.Split] = Check(SelectClasses(raw));
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
        // Rows for images the annotations name but that were dropped are not rows for unknown images.
        var joined = AuJoin.Join([.. raw.Select(SelectClasses)], table, Report, raw.SelectMany(s => s.Samples).Select(s => s.Id).Concat(Adapter.DroppedIds));
        foreach (var split in joined)
            _prepared[split.Split] = Check(split);
    }

    private DatasetSplit SelectClasses(DatasetSplit split)
    {
        if (_classes.Value.OldToNew is not { } oldToNew)
            return split;
        var selected = ClassRemap.Apply(split, oldToNew, ClassMap.ClassNames, Report);
        if (selected.Samples.Count < split.Samples.Count)
            _unselected.UnionWith(split.Samples.Select(s => s.Id).Except(selected.Samples.Select(s => s.Id)));
        return selected;
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
