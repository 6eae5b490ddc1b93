using UlcAg.Data.Formats.Text;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats;

/// <summary>
/// Image folders with one subfolder per class. When the root holds train/, test/, val/ or
/// validation/ folders (or <see cref="DatasetOptions.SplitFiles"/> names the folders), each is a split;
/// otherwise the root holds the class folders and is split "all", or "train"/"test" with
/// <see cref="DatasetOptions.HoldoutFraction"/>. Class order: <see cref="DatasetOptions.ClassOrder"/>,
/// else the class folder names sorted (ordinal) over all splits. Sample ids are paths relative to the root.
/// </summary>
public sealed class ImageFolderAdapter : DatasetAdapter
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff", ".pgm", ".ppm" };

    private static readonly string[] SplitFolderNames = ["train", "test", "val", "validation"];

    private readonly Lazy<Layout> _layout;

    /// <summary>Creates the adapter; the folders are scanned on first use.</summary>
    public ImageFolderAdapter(DatasetOptions options, IssueReport? report = null)
        : base(options, report)
    {
        if (options.HoldoutFraction is < 0 or >= 1)
            throw new ArgumentException($"HoldoutFraction {options.HoldoutFraction} is out of range; expected 0 <= fraction < 1.", nameof(options));
        _layout = new Lazy<Layout>(Scan);
    }

    /// <summary>Report tally of files skipped because their extension is not an image's.</summary>
    public const string NonImageTally = "folder: non-image files ignored";

    /// <inheritdoc/>
    public override string Format => "folder";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Splits => _layout.Value.Splits;

    /// <inheritdoc/>
    public override ClassMap ClassMap => _layout.Value.ClassMap;

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> SplitAliases { get; } =
        new Dictionary<string, string> { ["validation"] = "val", ["val"] = "validation", ["training"] = "train" };

    /// <inheritdoc/>
    protected override IEnumerable<DatasetSplit> Read(string split)
    {
        var layout = _layout.Value;
        if (layout.Folders.Count > 0)
            return [NewSplit(split, ReadClasses(layout, layout.Folders[split]))];
        var all = ReadClasses(layout, Options.Resolve("."));
        if (Options.HoldoutFraction == 0)
            return [NewSplit(split, all)];
        var (train, test) = Holdout(all);
        return [NewSplit("train", train), NewSplit("test", test)];
    }

    private List<Sample> ReadClasses(Layout layout, string splitFolder)
    {
        var root = Options.Resolve(".");
        var samples = new List<Sample>();
        foreach (var folder in Directory.GetDirectories(splitFolder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            if (!layout.ClassOfFolder.TryGetValue(name, out var label))
            {
                Report.Raise(new DataIssue(IssueKind.BadLabel, folder, null, null, $"class folder '{name}' is not in the configured class order",
                    "one of: " + string.Join(", ", layout.ClassOfFolder.Keys)));
                continue;
            }
            foreach (var file in FilesBelow(folder).Order(StringComparer.Ordinal))
            {
                if (!ImageExtensions.Contains(Path.GetExtension(file)))
                {
                    Report.Tally(NonImageTally);
                    continue;
                }
                var id = Path.GetRelativePath(root, file).Replace('\\', '/');
                samples.Add(new Sample(id, new ImageSource.File(file), label));
            }
        }
        return samples;
    }

    /// <summary>
    /// Every file under <paramref name="folder"/>, following links to folders but entering each real
    /// folder once: a link that points back up the tree (a loop) or twice at one folder lists nothing twice.
    /// </summary>
    private static IEnumerable<string> FilesBelow(string folder)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([folder]);
        while (pending.TryPop(out var dir))
        {
            var info = new DirectoryInfo(dir);
            var real = info.LinkTarget is null ? info.FullName : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
            if (!seen.Add(Path.TrimEndingDirectorySeparator(real))) continue;
            foreach (var file in Directory.EnumerateFiles(dir)) yield return file;
            foreach (var sub in Directory.EnumerateDirectories(dir)) pending.Push(sub);
        }
    }

    /// <summary>Per class, a seeded shuffle puts round(fraction * n) samples into test.</summary>
    private (List<Sample> Train, List<Sample> Test) Holdout(List<Sample> all)
    {
        var random = new Random(Options.Seed);
        var inTest = new bool[all.Count];
        foreach (var group in Enumerable.Range(0, all.Count).GroupBy(i => all[i].Label).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            var testCount = (int)Math.Round(Options.HoldoutFraction * members.Length, MidpointRounding.AwayFromZero);
            foreach (var i in members.Take(testCount))
                inTest[i] = true;
        }
        var train = new List<Sample>();
        var test = new List<Sample>();
        for (var i = 0; i < all.Count; i++)
            (inTest[i] ? test : train).Add(all[i]);
        return (train, test);
    }

    private Layout Scan()
    {
        var root = Options.Resolve(".");
        if (!Directory.Exists(root))
            Report.Fatal(new DataIssue(IssueKind.UnreadableFile, root, null, null, "the folder does not exist", "a folder of class folders (optionally inside train/ and test/)"));
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Options.SplitFiles is { Count: > 0 } configured)
        {
            foreach (var (split, folder) in configured)
            {
                var path = Options.Resolve(folder);
                if (!Directory.Exists(path))
                    Report.Fatal(new DataIssue(IssueKind.UnreadableFile, path, null, null, $"the folder of split '{split}' does not exist", "a folder of class folders"));
                folders[split] = path;
            }
        }
        else
        {
            foreach (var dir in Directory.GetDirectories(root))
            {
                var name = Path.GetFileName(dir);
                var split = SplitFolderNames.FirstOrDefault(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
                if (split is not null)
                    folders[split] = dir;
            }
        }
        var classFolders = (folders.Count > 0 ? [.. folders.Values] : new[] { root })
            .SelectMany(Directory.GetDirectories).Select(Path.GetFileName).OfType<string>()
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var order = Options.ClassOrder is { Count: > 0 } given ? [.. given] : classFolders;
        var classOfFolder = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var folder in order)
        {
            var name = ExpressionNames.Normalize(folder);
            if (names.Contains(name, StringComparer.OrdinalIgnoreCase) || classOfFolder.ContainsKey(folder))
                Report.Fatal(new DataIssue(IssueKind.BadLabel, root, null, null, $"class folder '{folder}' names class '{name}' a second time", "one folder per class"));
            classOfFolder[folder] = names.Count;
            names.Add(name);
        }
        var entries = order.Select(f => new ClassMapEntry(f, f, classOfFolder[f])).ToList();
        var splits = folders.Count > 0 ? folders.Keys.Order(StringComparer.Ordinal).ToList()
            : Options.HoldoutFraction > 0 ? ["train", "test"] : ["all"];
        return new Layout(splits, folders, classOfFolder, new ClassMap(Format, names, entries));
    }

    private sealed record Layout(IReadOnlyList<string> Splits, IReadOnlyDictionary<string, string> Folders,
        IReadOnlyDictionary<string, int> ClassOfFolder, ClassMap ClassMap);
}
