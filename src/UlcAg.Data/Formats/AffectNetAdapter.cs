using System.Globalization;
using UlcAg.Data.Formats.Text;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats;

/// <summary>
/// AffectNet: <c>training.csv</c> (split "train") and <c>validation.csv</c> (split "val"), or the
/// automatically annotated list (format "affectnet-auto": split "train" is the automatic list, split "val"
/// the manually annotated validation.csv, so that a model trained on the automatic labels is tested on
/// the manual ones as in ULC-AG's Table IV). Columns subDirectory_filePath,
/// face_x, face_y, face_width, face_height, facial_landmarks (68 x;y pairs), expression, valence, arousal;
/// a header row is required except in validation.csv, where it is detected. Expression 0..10 = Neutral,
/// Happiness, Sadness, Surprise, Fear, Disgust, Anger, Contempt, None, Uncertain, No-Face: None,
/// Uncertain and No-Face rows are always dropped, Contempt rows unless
/// <see cref="DatasetOptions.IncludeContempt"/> (8 classes). Sample ids are subDirectory_filePath.
/// </summary>
public sealed class AffectNetAdapter : DatasetAdapter
{
    /// <summary>Number of landmark points per face.</summary>
    public const int LandmarkPoints = 68;

    private static readonly string[] SourceNames =
        ["Neutral", "Happy", "Sad", "Surprise", "Fear", "Disgust", "Anger", "Contempt", "None", "Uncertain", "No-Face"];

    private static readonly string[] Columns =
        ["subDirectory_filePath", "face_x", "face_y", "face_width", "face_height", "facial_landmarks", "expression", "valence", "arousal"];

    private readonly bool _automatic;

    /// <summary>Creates the adapter for the manually (<paramref name="automatic"/> false) or automatically annotated lists.</summary>
    public AffectNetAdapter(DatasetOptions options, bool automatic = false, IssueReport? report = null)
        : base(options, report)
    {
        _automatic = automatic;
        var classCount = options.IncludeContempt ? 8 : 7;
        ClassMap = new ClassMap(Format, [.. ClassNames.Take(classCount)],
            [.. SourceNames.Select((name, code) => new ClassMapEntry(code.ToString(CultureInfo.InvariantCulture), name, code < classCount ? code : null))]);
        Splits = ["train", "val"];
    }

    /// <summary>AffectNet's 8 expression classes in label order (codes 0..7).</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        ExpressionNames.Neutral, ExpressionNames.Happiness, ExpressionNames.Sadness, ExpressionNames.Surprise,
        ExpressionNames.Fear, ExpressionNames.Disgust, ExpressionNames.Anger, ExpressionNames.Contempt,
    ];

    /// <inheritdoc/>
    public override string Format => _automatic ? "affectnet-auto" : "affectnet";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Splits { get; }

    /// <inheritdoc/>
    public override ClassMap ClassMap { get; }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> SplitAliases { get; } =
        new Dictionary<string, string> { ["training"] = "train", ["validation"] = "val" };

    /// <inheritdoc/>
    protected override IEnumerable<DatasetSplit> Read(string split)
    {
        var file = AnnotationFile(split);
        AnnotationLines.RequireFile(file, "AffectNet annotation CSV", Report);
        var imagesRoot = ImagesRoot(split);
        var samples = new List<Sample>();
        var gate = new SampleGate(Report, Options.CheckImages);
        var landmarks = new float[2 * LandmarkPoints];
        int[]? column = null;
        var columnCount = Columns.Length;
        foreach (var row in CsvRows.Read(file, "AffectNet annotation CSV", Report))
        {
            var (at, fields) = (row.At, row.Fields);
            if (column is null)
            {
                column = Layout(fields, at, headerOptional: split == "val", out var isHeader);
                if (isHeader)
                {
                    columnCount = fields.Count;
                    continue;
                }
            }
            if (!row.HasColumns(columnCount, $"{columnCount} comma-separated columns", Report))
                continue;
            var path = fields[column[0]].Trim();
            if (path.Length == 0)
            {
                Report.Raise(at.Issue(IssueKind.MalformedRow, "subDirectory_filePath", "the field is empty", "an image path such as '689/abc.jpg'"));
                continue;
            }
            var image = Path.Combine(imagesRoot, path);
            if (ReadSample(fields, column, at, path, image, landmarks) is Sample sample && gate.Admit(at, path, image))
                samples.Add(sample);
            else
                Dropped(path);
        }
        return [NewSplit(split, samples)];
    }

    private Sample? ReadSample(List<string> fields, int[] column, RowContext at, string path, string image, float[] landmarks)
    {
        var expressionText = fields[column[6]];
        if (!Numbers.TryInt(expressionText, out var expression))
        {
            Report.Raise(at.Issue(IssueKind.BadNumber, "expression", $"'{expressionText}' is not an integer", "an integer 0..10"));
            return null;
        }
        if (expression < 0 || expression >= SourceNames.Length)
        {
            Report.Raise(at.Issue(IssueKind.BadLabel, "expression", $"{expression} is out of range", "an integer 0..10"));
            return null;
        }
        if (expression >= ClassMap.ClassNames.Count)
        {
            // The paper's protocol: None, Uncertain and No-Face are not expressions; Contempt is a class only in the 8-class setting.
            Report.Tally($"{Format}: rows with expression {SourceNames[expression]} dropped");
            return null;
        }
        Span<float> box = stackalloc float[4];
        for (var i = 0; i < 4; i++)
        {
            var text = fields[column[1 + i]];
            // A box may reach past the image border (x, y < 0); its size must be positive.
            if (!Numbers.TryFloat(text, out box[i]) || (i >= 2 && box[i] <= 0))
            {
                var name = Columns[1 + i];
                Report.Raise(at.Issue(IssueKind.BadNumber, name, $"'{text}' is not a valid {name}", i >= 2 ? "a positive number" : "a number"));
                return null;
            }
        }
        if (!Numbers.TryFloats(fields[column[5]], ';', landmarks, out var count))
        {
            var problem = count == landmarks.Length ? "a value is not a number" : $"it holds {count} values";
            Report.Raise(at.Issue(IssueKind.BadLandmarks, "facial_landmarks", problem, $"{LandmarkPoints} x;y pairs ({landmarks.Length} numbers separated by ';')"));
            return null;
        }
        return new Sample(path, new ImageSource.File(image), expression,
            Box: new FaceBox(box[0], box[1], box[2], box[3]), Landmarks: (float[])landmarks.Clone());
    }

    /// <summary>Column indices in <see cref="Columns"/> order, from the header or the standard order.</summary>
    private int[] Layout(List<string> first, RowContext at, bool headerOptional, out bool isHeader)
    {
        var header = new CsvHeader(first);
        isHeader = header.Find(Columns[0]) >= 0;
        if (!isHeader)
        {
            if (!headerOptional)
                Report.Raise(at.Issue(IssueKind.MissingHeader, null, "the first line is not a header row", "a header row starting with 'subDirectory_filePath,face_x,...'"));
            return [.. Enumerable.Range(0, Columns.Length)];
        }
        var columns = new int[Columns.Length];
        for (var c = 0; c < Columns.Length; c++)
        {
            columns[c] = header.Find(Columns[c]);
            if (columns[c] < 0 && c < 7)
                Report.Fatal(at.Issue(IssueKind.MissingColumn, Columns[c], "the header has no such column", "the AffectNet columns " + string.Join(",", Columns)));
        }
        return columns;
    }

    private string AnnotationFile(string split)
    {
        if (Options.SplitFiles?.TryGetValue(split, out var configured) == true)
            return Options.Resolve(configured);
        if (Automatic(split))
            return Options.Resolve(Options.AnnotationFile ?? FirstExisting("automatically_annotated.csv", "Automatically_annotated_file_list/automatically_annotated.csv"));
        var name = split == "train" ? "training.csv" : "validation.csv";
        return Options.Resolve(FirstExisting(name, "Manually_Annotated_file_lists/" + name));
    }

    /// <summary>Whether <paramref name="split"/> comes from the automatically annotated list (affectnet-auto's training split).</summary>
    private bool Automatic(string split) => _automatic && split == "train";

    private string ImagesRoot(string split) => Options.Resolve(Options.ImagesRoot ?? (Automatic(split)
        ? FirstExisting("Automatically_Annotated_Images", "Automatically_Annotated/Automatically_Annotated_Images")
        : FirstExisting("Manually_Annotated_Images", "Manually_Annotated/Manually_Annotated_Images")));

    /// <summary>The first candidate that exists under the root, else the first (whose absence is then reported).</summary>
    private string FirstExisting(params string[] candidates) =>
        candidates.FirstOrDefault(c => Path.Exists(Options.Resolve(c))) ?? candidates[0];
}
