using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats;

/// <summary>
/// Shared behaviour of the adapters: split-name resolution and a cache, so a file holding several
/// splits (RAF-DB's list, fer2013.csv) is read once and its issues are counted once.
/// </summary>
public abstract class DatasetAdapter : IDatasetAdapter
{
    private readonly Dictionary<string, DatasetSplit> _loaded = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dropped = new(StringComparer.Ordinal);

    /// <summary>Creates the adapter; <paramref name="report"/> defaults to a new one under the options' policy.</summary>
    protected DatasetAdapter(DatasetOptions options, IssueReport? report)
    {
        Options = options;
        Report = report ?? new IssueReport(options.Policy, options.KeepMessages);
    }

    /// <summary>The options the adapter was created with.</summary>
    public DatasetOptions Options { get; }

    /// <inheritdoc/>
    public IssueReport Report { get; }

    /// <inheritdoc/>
    public abstract string Format { get; }

    /// <inheritdoc/>
    public abstract IReadOnlyList<string> Splits { get; }

    /// <inheritdoc/>
    public abstract ClassMap ClassMap { get; }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> DroppedIds => _dropped;

    /// <summary>Other accepted split names, e.g. "validation" -> "val".</summary>
    protected virtual IReadOnlyDictionary<string, string> SplitAliases { get; } = new Dictionary<string, string>();

    /// <inheritdoc/>
    public DatasetSplit Load(string split)
    {
        var name = ResolveSplit(split);
        if (!_loaded.TryGetValue(name, out var loaded))
        {
            foreach (var read in Read(name))
                _loaded[read.Split] = read;
            loaded = _loaded[name];
        }
        return loaded;
    }

    /// <summary>Reads split <paramref name="split"/> (a name from <see cref="Splits"/>); may return further splits read from the same file.</summary>
    protected abstract IEnumerable<DatasetSplit> Read(string split);

    /// <summary>Records that the annotations name <paramref name="id"/> but it is not loaded.</summary>
    protected void Dropped(string id) => _dropped.Add(id);

    /// <summary>A split of this dataset with the adapter's format and class names.</summary>
    protected DatasetSplit NewSplit(string split, IReadOnlyList<Sample> samples, IReadOnlyList<string>? auNames = null) =>
        new(Format, split, ClassMap.ClassNames, auNames ?? [], samples);

    private string ResolveSplit(string split)
    {
        foreach (var name in Splits)
        {
            if (string.Equals(name, split, StringComparison.OrdinalIgnoreCase))
                return name;
        }
        foreach (var (alias, name) in SplitAliases)
        {
            if (string.Equals(alias, split, StringComparison.OrdinalIgnoreCase))
                return name;
        }
        // A data problem, not a programming error: it names the dataset folder and what was found there.
        var root = Options.Resolve(".");
        Report.Fatal(Splits.Count == 0
            ? new DataIssue(IssueKind.UnreadableFile, root, null, null, $"the folder holds no {Format} data (no split found)", $"the files of a {Format} dataset (docs/data-formats.md)")
            : new DataIssue(IssueKind.UnreadableFile, root, null, null, $"the {Format} dataset has no split '{split}'", "one of the splits " + string.Join(", ", Splits)));
        throw new System.Diagnostics.UnreachableException();
    }
}
