using UlcAg.Data.Formats.Text;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats;

/// <summary>
/// RAF-DB basic: <c>EmoLabel/list_patition_label.txt</c> with lines <c>train_00001.jpg 5</c>; labels
/// 1..7 = Surprise, Fear, Disgust, Happiness, Sadness, Anger, Neutral (class index = label - 1);
/// the split is the name's prefix (train_/test_). Sample ids are the listed names.
/// </summary>
public sealed class RafDbAdapter : DatasetAdapter
{
    /// <summary>The class names in RAF-DB's label order (label 1 first).</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        ExpressionNames.Surprise, ExpressionNames.Fear, ExpressionNames.Disgust, ExpressionNames.Happiness,
        ExpressionNames.Sadness, ExpressionNames.Anger, ExpressionNames.Neutral,
    ];

    /// <summary>The label list's place under the root.</summary>
    public const string DefaultListFile = "EmoLabel/list_patition_label.txt";

    /// <summary>Creates the adapter.</summary>
    public RafDbAdapter(DatasetOptions options, IssueReport? report = null)
        : base(options, report) =>
        ClassMap = new ClassMap(Format, ClassNames, [.. ClassNames.Select((name, i) => new ClassMapEntry((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), name, i))]);

    /// <inheritdoc/>
    public override string Format => "rafdb";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Splits { get; } = ["train", "test"];

    /// <inheritdoc/>
    public override ClassMap ClassMap { get; }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> SplitAliases { get; } = new Dictionary<string, string> { ["training"] = "train" };

    /// <inheritdoc/>
    protected override IEnumerable<DatasetSplit> Read(string split)
    {
        var list = Options.Resolve(Options.AnnotationFile ?? DefaultListFile);
        var samples = Splits.ToDictionary(s => s, _ => new List<Sample>());
        var gates = Splits.ToDictionary(s => s, _ => new SampleGate(Report, Options.CheckImages));
        foreach (var entry in LabelListFile.Read(list, "RAF-DB label list", ClassNames.Count, Report, Dropped))
        {
            var at = new RowContext(list, entry.Line);
            var name = entry.Name;
            var prefix = name.IndexOf('_', StringComparison.Ordinal) is var u and > 0 ? name[..u] : "";
            var image = ImagePath(name);
            if (!samples.TryGetValue(prefix, out var target))
                Report.Raise(at.Issue(IssueKind.MalformedRow, "name", $"'{name}' has no split prefix", "a name starting with 'train_' or 'test_'"));
            else if (gates[prefix].Admit(at, name, image))
            {
                target.Add(new Sample(name, new ImageSource.File(image), entry.Label, Box: Box()));
                continue;
            }
            Dropped(name);
        }
        return Splits.Select(s => NewSplit(s, samples[s]));
    }

    private string ImagePath(string name) => Options.RafDbImages == RafDbImages.Original
        ? Options.Resolve(Path.Combine(Options.ImagesRoot ?? "Image/original", name))
        : Options.Resolve(Path.Combine(Options.ImagesRoot ?? "Image/aligned", Path.GetFileNameWithoutExtension(name) + "_aligned" + Path.GetExtension(name)));

    // Aligned images are whole faces, so the box is the image; original photos need face detection.
    private FaceBox? Box() => Options.RafDbImages == RafDbImages.Original
        ? null
        : new FaceBox(0, 0, Options.RafDbAlignedSize, Options.RafDbAlignedSize);
}
