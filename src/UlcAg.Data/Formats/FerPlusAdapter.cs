using UlcAg.Data.Formats.Text;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats;

/// <summary>
/// FERPlus: <c>fer2013new.csv</c> (Usage, Image name, then votes for neutral, happiness, surprise,
/// sadness, anger, disgust, fear, contempt, unknown, NF) paired row by row with the pixels of
/// <c>fer2013.csv</c>. Rows with an empty image name (173 in the release) are skipped and counted.
/// The label is the majority vote:
/// <list type="bullet">
/// <item>rows whose highest count is reached by unknown or NF (alone or tied) are dropped;</item>
/// <item>rows where several emotions share the highest count are dropped, or resolved by
/// <see cref="DatasetOptions.FerPlusTies"/>;</item>
/// <item>rows with no votes are dropped;</item>
/// <item>Contempt is a class only with <see cref="DatasetOptions.IncludeContempt"/> (8 classes); otherwise
/// rows won by contempt are dropped.</item>
/// </list>
/// Every drop is counted in the report. Sample ids are the image names (<c>fer0000000.png</c>).
/// </summary>
public sealed class FerPlusAdapter : DatasetAdapter
{
    private static readonly string[] VoteColumns =
        ["neutral", "happiness", "surprise", "sadness", "anger", "disgust", "fear", "contempt", "unknown", "NF"];

    private const int Emotions = 8;

    /// <summary>Creates the adapter.</summary>
    public FerPlusAdapter(DatasetOptions options, IssueReport? report = null)
        : base(options, report)
    {
        var classCount = options.IncludeContempt ? 8 : 7;
        ClassMap = new ClassMap(Format, [.. ClassNames.Take(classCount)],
            [.. VoteColumns.Select((name, i) => new ClassMapEntry(name, name, i < classCount ? i : null))]);
    }

    /// <summary>FERPlus's 8 emotion classes in vote-column order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        ExpressionNames.Neutral, ExpressionNames.Happiness, ExpressionNames.Surprise, ExpressionNames.Sadness,
        ExpressionNames.Anger, ExpressionNames.Disgust, ExpressionNames.Fear, ExpressionNames.Contempt,
    ];

    /// <summary>Report tally of rows skipped for an empty image name.</summary>
    public const string EmptyNameTally = "ferplus: rows with an empty image name skipped";

    /// <summary>Report tally of rows dropped because unknown or NF has the most votes.</summary>
    public const string UnknownTally = "ferplus: rows with unknown/NF majority dropped";

    /// <summary>Report tally of rows dropped for a tie between emotions.</summary>
    public const string TieTally = "ferplus: rows with tied emotions dropped";

    /// <summary>Report tally of rows dropped because contempt wins in the 7-class setting.</summary>
    public const string ContemptTally = "ferplus: rows with contempt majority dropped (7 classes)";

    /// <summary>Report tally of rows without votes.</summary>
    public const string NoVotesTally = "ferplus: rows without votes dropped";

    /// <inheritdoc/>
    public override string Format => "ferplus";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Splits => Fer2013File.Splits;

    /// <inheritdoc/>
    public override ClassMap ClassMap { get; }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> SplitAliases => Fer2013File.SplitAliases;

    /// <inheritdoc/>
    protected override IEnumerable<DatasetSplit> Read(string split)
    {
        var votesFile = Options.Resolve(Options.AnnotationFile ?? "fer2013new.csv");
        var pixelFile = Options.Resolve(Options.PixelFile ?? "fer2013.csv");
        AnnotationLines.RequireFile(votesFile, "FERPlus vote CSV", Report);
        AnnotationLines.RequireFile(pixelFile, "FER2013 CSV", Report);
        var samples = Splits.ToDictionary(s => s, _ => new List<Sample>());
        var gates = Splits.ToDictionary(s => s, _ => new SampleGate(Report, checkImages: false));
        using var pixelRows = Fer2013File.Read(pixelFile, Report).GetEnumerator();
        var votes = new int[VoteColumns.Length];
        int[]? column = null;
        var expected = 2 + VoteColumns.Length;
        var rows = 0;
        foreach (var row in CsvRows.Read(votesFile, "FERPlus vote CSV", Report))
        {
            var (at, fields) = (row.At, row.Fields);
            if (column is null)
            {
                column = Layout(fields, at, out var isHeader);
                if (isHeader)
                {
                    expected = fields.Count;
                    continue;
                }
            }
            rows++;
            if (!pixelRows.MoveNext())
                Report.Fatal(at.Issue(IssueKind.Inconsistent, null, $"{pixelFile} has only {rows - 1} data rows", "one fer2013.csv row per fer2013new.csv row, in the same order"));
            var pixelRow = pixelRows.Current;
            if (!row.HasColumns(expected, $"{expected} columns (Usage, Image name and {VoteColumns.Length} vote counts)", Report))
                continue;
            var name = fields[column[1]].Trim();
            if (name.Length == 0)
            {
                Report.Tally(EmptyNameTally);
                continue;
            }
            var usage = fields[column[0]].Trim();
            var target = Fer2013File.Split(usage);
            if (target is null)
                Report.Raise(at.Issue(IssueKind.MalformedRow, "Usage", $"'{usage}' is not a FER2013 usage", "Training, PublicTest or PrivateTest"));
            else if (!pixelRow.Complete)
                pixelRow.RaiseMalformed(Report);
            else if (!string.Equals(pixelRow.Usage, usage, StringComparison.OrdinalIgnoreCase))
                Report.Raise(at.Issue(IssueKind.Inconsistent, "Usage", $"'{usage}' differs from '{pixelRow.Usage}' on line {pixelRow.At.Line} of {pixelFile}", "the same usage in both files (rows are paired by order)"));
            else if (ReadVotes(fields, column, at, votes) && Majority(votes) is int label
                && Fer2013File.Pixels(pixelRow, Report) is byte[] pixels && gates[target].Admit(at, name, null))
            {
                samples[target].Add(new Sample(name, new ImageSource.Pixels(pixels, Fer2013File.Side, Fer2013File.Side, 1), label, Box: Fer2013File.Box));
                continue;
            }
            Dropped(name);
        }
        if (pixelRows.MoveNext())
            Report.Fatal(new DataIssue(IssueKind.Inconsistent, votesFile, null, null, $"it has {rows} data rows but {pixelFile} has more", "one fer2013new.csv row per fer2013.csv row, in the same order"));
        return Splits.Select(s => NewSplit(s, samples[s]));
    }

    private bool ReadVotes(List<string> fields, int[] column, RowContext at, int[] votes)
    {
        for (var v = 0; v < votes.Length; v++)
        {
            var text = fields[column[2 + v]];
            if (!Numbers.TryInt(text, out votes[v]) || votes[v] < 0)
            {
                Report.Raise(at.Issue(IssueKind.BadNumber, VoteColumns[v], $"'{text}' is not a vote count", "an integer >= 0"));
                return false;
            }
        }
        return true;
    }

    /// <summary>The class index the votes elect, or null (counted) when the row is dropped.</summary>
    private int? Majority(int[] votes)
    {
        var top = votes.Max();
        if (top == 0)
        {
            Report.Tally(NoVotesTally);
            return null;
        }
        if (votes[Emotions] == top || votes[Emotions + 1] == top)
        {
            Report.Tally(UnknownTally);
            return null;
        }
        var winner = Array.IndexOf(votes, top);
        if (Array.LastIndexOf(votes, top) != winner && Options.FerPlusTies == FerPlusTieRule.Drop)
        {
            Report.Tally(TieTally);
            return null;
        }
        if (winner >= ClassMap.ClassNames.Count)
        {
            Report.Tally(ContemptTally);
            return null;
        }
        return winner;
    }

    /// <summary>Column indices: Usage, Image name, then the vote columns.</summary>
    private int[] Layout(List<string> first, RowContext at, out bool isHeader)
    {
        var header = new CsvHeader(first);
        isHeader = header.Find("Usage") >= 0 && header.Find("Image name") >= 0;
        if (!isHeader)
        {
            Report.Raise(at.Issue(IssueKind.MissingHeader, null, "the first line is not a header row", "the header 'Usage,Image name," + string.Join(",", VoteColumns) + "'"));
            return [.. Enumerable.Range(0, 2 + VoteColumns.Length)];
        }
        string[] names = ["Usage", "Image name", .. VoteColumns];
        var columns = names.Select(n => header.Find(n)).ToArray();
        var missing = Array.IndexOf(columns, -1);
        if (missing >= 0)
            Report.Fatal(at.Issue(IssueKind.MissingColumn, names[missing], "the header has no such column", "the header 'Usage,Image name," + string.Join(",", VoteColumns) + "'"));
        return columns;
    }
}
