using System.Globalization;
using UlcAg.Data.Formats.Text;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats;

/// <summary>
/// FER2013: <c>fer2013.csv</c> with <c>emotion,pixels,Usage</c>; 48x48 gray pixels; emotion 0..6 =
/// Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral; Usage Training / PublicTest / PrivateTest =
/// splits train / val / test. Sample ids are <c>fer0000000</c> with the 0-based data row, matching
/// FERPlus's image names; the box is the whole 48x48 image.
/// </summary>
public sealed class Fer2013Adapter : DatasetAdapter
{
    private static readonly string[] SourceNames = ["Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"];

    /// <summary>Creates the adapter.</summary>
    public Fer2013Adapter(DatasetOptions options, IssueReport? report = null)
        : base(options, report) =>
        ClassMap = new ClassMap(Format, ClassNames, [.. SourceNames.Select((name, i) => new ClassMapEntry(i.ToString(CultureInfo.InvariantCulture), name, i))]);

    /// <summary>FER2013's classes in label order (codes 0..6).</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        ExpressionNames.Anger, ExpressionNames.Disgust, ExpressionNames.Fear, ExpressionNames.Happiness,
        ExpressionNames.Sadness, ExpressionNames.Surprise, ExpressionNames.Neutral,
    ];

    /// <inheritdoc/>
    public override string Format => "fer2013";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Splits => Fer2013File.Splits;

    /// <inheritdoc/>
    public override ClassMap ClassMap { get; }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> SplitAliases => Fer2013File.SplitAliases;

    /// <summary>The sample id of 0-based data row <paramref name="index"/>.</summary>
    public static string IdOf(int index) => "fer" + index.ToString("D7", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    protected override IEnumerable<DatasetSplit> Read(string split)
    {
        var file = Options.Resolve(Options.AnnotationFile ?? "fer2013.csv");
        var samples = Splits.ToDictionary(s => s, _ => new List<Sample>());
        foreach (var row in Fer2013File.Read(file, Report))
        {
            if (ReadRow(row) is (string target, Sample sample))
                samples[target].Add(sample);
            else
                Dropped(IdOf(row.Index));
        }
        return Splits.Select(s => NewSplit(s, samples[s]));
    }

    /// <summary>The row's split and sample, or null after raising the issue.</summary>
    private (string Split, Sample Sample)? ReadRow(Fer2013Row row)
    {
        if (!row.Complete)
        {
            row.RaiseMalformed(Report);
            return null;
        }
        var target = Fer2013File.Split(row.Usage!);
        if (target is null)
            Report.Raise(row.At.Issue(IssueKind.MalformedRow, "Usage", $"'{row.Usage}' is not a FER2013 usage", "Training, PublicTest or PrivateTest"));
        else if (!Numbers.TryInt(row.Emotion, out var emotion))
            Report.Raise(row.At.Issue(IssueKind.BadNumber, "emotion", $"'{row.Emotion}' is not an integer", "an integer 0..6"));
        else if (emotion < 0 || emotion >= ClassNames.Count)
            Report.Raise(row.At.Issue(IssueKind.BadLabel, "emotion", $"{emotion} is out of range", "an integer 0..6"));
        else if (Fer2013File.Pixels(row, Report) is byte[] pixels)
            return (target, new Sample(IdOf(row.Index), new ImageSource.Pixels(pixels, Fer2013File.Side, Fer2013File.Side, 1), emotion, Box: Fer2013File.Box));
        return null;
    }
}
