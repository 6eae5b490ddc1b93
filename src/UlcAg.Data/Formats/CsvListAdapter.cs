using UlcAg.Data.AuLabels;
using UlcAg.Data.Formats.Text;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats;

/// <summary>
/// Plain CSV lists, one per split (<c>&lt;root&gt;/&lt;split&gt;.csv</c> or <see cref="DatasetOptions.SplitFiles"/>):
/// a header <c>path,label[,AU columns]</c>, then one row per image. The label is a class name, or a
/// 0-based index into <see cref="DatasetOptions.ClassOrder"/>. AU columns (AU01, AU1, AU01_c) hold 0 or 1;
/// a row with all AU cells empty has no AU labels. Image paths are relative to
/// <see cref="DatasetOptions.ImagesRoot"/>, else to the CSV's folder. Class order:
/// <see cref="DatasetOptions.ClassOrder"/>, else the known label names of all split files sorted (ordinal).
/// Without a class order a label name is known when it is an <see cref="ExpressionNames"/> word or
/// synonym, or a name of <see cref="DatasetOptions.Classes"/>: a typo such as <c>Happyness</c> is a bad
/// row naming file and line, never a class of its own. Sample ids are the paths as written.
/// </summary>
public sealed class CsvListAdapter : DatasetAdapter
{
    private static readonly string[] PathColumns = ["path", "file", "filename", "image"];
    private static readonly string[] LabelColumns = ["label", "class", "expression", "emotion"];

    private readonly Lazy<IReadOnlyList<string>> _splits;
    private readonly Lazy<ClassMap> _classMap;

    /// <summary>Creates the adapter; split files are looked up on first use.</summary>
    public CsvListAdapter(DatasetOptions options, IssueReport? report = null)
        : base(options, report)
    {
        _splits = new Lazy<IReadOnlyList<string>>(FindSplits);
        _classMap = new Lazy<ClassMap>(BuildClassMap);
    }

    /// <inheritdoc/>
    public override string Format => "csv";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Splits => _splits.Value;

    /// <inheritdoc/>
    public override ClassMap ClassMap => _classMap.Value;

    /// <inheritdoc/>
    protected override IEnumerable<DatasetSplit> Read(string split)
    {
        var file = SplitFile(split);
        var classMap = ClassMap;
        var imagesRoot = Options.ImagesRoot is null ? Path.GetDirectoryName(file)! : Options.Resolve(Options.ImagesRoot);
        var samples = new List<Sample>();
        var gate = new SampleGate(Report, Options.CheckImages);
        Columns? columns = null;
        foreach (var row in CsvRows.Read(file, "CSV list", Report))
        {
            var (at, fields) = (row.At, row.Fields);
            if (columns is null)
            {
                columns = ReadHeader(fields, at);
                continue;
            }
            if (!row.HasColumns(columns.Count, $"{columns.Count} columns as in the header", Report))
                continue;
            var path = fields[columns.Path].Trim();
            if (path.Length == 0)
            {
                Report.Raise(at.Issue(IssueKind.MalformedRow, "path", "the field is empty", "an image path"));
                continue;
            }
            var image = Path.GetFullPath(Path.Combine(imagesRoot, path));
            if (Label(fields[columns.Label], classMap, at) is int label && ReadAus(fields, columns, at, out var aus) && gate.Admit(at, path, image))
                samples.Add(new Sample(path, new ImageSource.File(image), label, Aus: aus));
            else
                Dropped(path);
        }
        if (columns is null)
            Report.Fatal(new DataIssue(IssueKind.MissingHeader, file, null, null, "the file is empty", "a header 'path,label[,AU columns]'"));
        return [NewSplit(split, samples, columns.AuNames)];
    }

    private int? Label(string text, ClassMap classMap, RowContext at)
    {
        var value = text.Trim();
        if (Numbers.TryInt(value, out var index))
        {
            if (Options.ClassOrder is null)
            {
                Report.Raise(at.Issue(IssueKind.BadLabel, "label", $"'{value}' is a class index but no class order is configured", "a class name, or DatasetOptions.ClassOrder for index labels"));
                return null;
            }
            if (index < 0 || index >= classMap.ClassNames.Count)
            {
                Report.Raise(at.Issue(IssueKind.BadLabel, "label", $"{index} is out of range", $"a class index 0..{classMap.ClassNames.Count - 1} or a class name"));
                return null;
            }
            return index;
        }
        var named = classMap.IndexOf(value);
        if (named < 0)
        {
            var expected = Options.ClassOrder is not null
                ? "one of: " + string.Join(", ", classMap.ClassNames)
                : $"one of: {string.Join(", ", ExpressionNames.All)} (any case, or a synonym such as 'happy'); other class names must be listed in data.classes";
            Report.Raise(at.Issue(IssueKind.BadLabel, "label", $"'{value}' is not a known class", expected));
        }
        return named >= 0 ? named : null;
    }

    private bool ReadAus(List<string> fields, Columns columns, RowContext at, out float[]? aus)
    {
        aus = null;
        if (columns.AuNames.Count == 0)
            return true;
        var empty = columns.Aus.Count(c => fields[c].Trim().Length == 0);
        if (empty == columns.Aus.Count)
            return true;
        if (empty > 0)
        {
            Report.Raise(at.Issue(IssueKind.MalformedRow, null, $"{empty} of {columns.Aus.Count} AU cells are empty", "all AU cells filled, or all empty for a sample without AU labels"));
            return false;
        }
        var values = new float[columns.Aus.Count];
        for (var a = 0; a < values.Length; a++)
        {
            var text = fields[columns.Aus[a]];
            if (!Numbers.TryFlag(text, out values[a]))
            {
                Report.Raise(at.Issue(IssueKind.BadNumber, columns.AuNames[a], $"'{text.Trim()}' is not an AU label", "0 or 1"));
                return false;
            }
        }
        aus = values;
        return true;
    }

    private Columns ReadHeader(List<string> fields, RowContext at)
    {
        var header = new CsvHeader(fields);
        var path = header.Find(PathColumns);
        var label = header.Find(LabelColumns);
        if (path < 0 || label < 0)
            Report.Fatal(at.Issue(IssueKind.MissingHeader, null, $"the first line '{string.Join(",", header.Names)}' is not a header with path and label columns", "a header 'path,label[,AU columns]'"));
        var auColumns = new List<int>();
        var auNames = new List<string>();
        for (var c = 0; c < header.Names.Count; c++)
        {
            if (c == path || c == label)
                continue;
            if (!AuNames.TryParse(header.Names[c], out var au, out var suffix) || suffix == 'r' || auNames.Contains(au))
                Report.Fatal(at.Issue(IssueKind.MissingHeader, header.Names[c], "the column is neither path, label nor a new AU presence column", "AU columns such as AU01 or AU12_c after path and label"));
            auColumns.Add(c);
            auNames.Add(au);
        }
        return new Columns(header.Names.Count, path, label, auColumns, auNames);
    }

    private IReadOnlyList<string> FindSplits()
    {
        if (Options.SplitFiles is { Count: > 0 } configured)
            return [.. configured.Keys];
        var root = Options.Resolve(".");
        if (!Directory.Exists(root))
            Report.Fatal(new DataIssue(IssueKind.UnreadableFile, root, null, null, "the folder does not exist", "a folder holding <split>.csv lists"));
        return [.. Directory.GetFiles(root, "*.csv").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)];
    }

    private string SplitFile(string split)
    {
        var file = Options.Resolve(Options.SplitFiles?.TryGetValue(split, out var configured) == true ? configured : split + ".csv");
        AnnotationLines.RequireFile(file, "CSV list", Report);
        return file;
    }

    /// <summary>The class order: configured, or the label names of every split file, sorted.</summary>
    private ClassMap BuildClassMap()
    {
        IReadOnlyList<string> order;
        if (Options.ClassOrder is { Count: > 0 } given)
            order = given;
        else
        {
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var split in Splits)
            {
                var label = -1;
                foreach (var row in CsvRows.Read(SplitFile(split), "CSV list", Report))
                {
                    if (label < 0)
                        label = ReadHeader(row.Fields, row.At).Label;
                    else if (label < row.Fields.Count && row.Fields[label].Trim() is { Length: > 0 } value && !Numbers.TryInt(value, out _) && IsKnownLabel(value))
                        names.Add(value);
                }
            }
            order = [.. names];
        }
        var classNames = new List<string>();
        var entries = new List<ClassMapEntry>();
        foreach (var code in order)
        {
            var name = ExpressionNames.Normalize(code);
            var index = classNames.FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            if (index < 0 || Options.ClassOrder is not null)
            {
                if (index >= 0)
                    throw new ArgumentException($"Class order names class '{name}' twice; expected each class once.", nameof(Options));
                index = classNames.Count;
                classNames.Add(name);
            }
            entries.Add(new ClassMapEntry(code, code, index));
        }
        return new ClassMap(Format, classNames, entries);
    }

    /// <summary>
    /// Whether a label name may become a class when no class order is configured: unknown names are
    /// left to <see cref="Label"/>, which reports the row, so a typo never becomes a class.
    /// </summary>
    private bool IsKnownLabel(string name)
        => ExpressionNames.IsKnown(name)
            || Options.Classes?.Any(c => string.Equals(ExpressionNames.Normalize(c), ExpressionNames.Normalize(name), StringComparison.OrdinalIgnoreCase)) == true;

    private sealed record Columns(int Count, int Path, int Label, IReadOnlyList<int> Aus, IReadOnlyList<string> AuNames);
}
