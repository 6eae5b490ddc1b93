using System.Text.Json;
using System.Text.Json.Serialization;
using UlcAg.IO;

namespace UlcAg.Training.Metrics;

/// <summary>
/// What a finished run measured on the test split with its best weights, and how its training labels
/// moved: <c>test.json</c>, written last and atomically, so that its presence marks a finished run.
/// Shares are 0..1; values a run cannot know (no clean labels, no AU branch) are null.
/// </summary>
public sealed record TestResults
{
    public double? Accuracy { get; init; }
    public double? MeanClassAccuracy { get; init; }
    /// <summary>The epoch (from 1) whose weights were tested; -1 when no epoch was validated.</summary>
    public int BestEpoch { get; init; } = -1;
    public double BestValAccuracy { get; init; } = -1;
    /// <summary>Training labels that differ from the labels the run started with.</summary>
    public int Relabeled { get; init; }
    public double? RelabelPrecision { get; init; }
    public double? RelabelRecall { get; init; }
    public double? NoisyStillWrong { get; init; }
    /// <summary>Share of wrong training labels at the start (the injected noise), where the clean labels are known.</summary>
    public double? WrongLabelsStart { get; init; }
    /// <summary>Share of wrong training labels at the end, after relabeling.</summary>
    public double? WrongLabelsEnd { get; init; }
    /// <summary>Mean per-AU ROC AUC of the AU branch on the test split, against the AU labels (pseudo-labels on synthetic data).</summary>
    public double? AuAuc { get; init; }
    /// <summary>As <see cref="AuAuc"/>, against the AUs the test images actually show, where known (synthetic data).</summary>
    public double? AuAucRendered { get; init; }
    /// <summary>Share of test samples whose nearest semantic template is their own class.</summary>
    public double? TemplateAccuracy { get; init; }
    /// <summary>AUC of low alpha (eq. 1) for the test samples the classifier gets wrong: does alpha flag hard images? Null where no loss trains alpha.</summary>
    public double? AlphaErrorAuc { get; init; }
    /// <summary>Each AU's detection on the test split (AU branch), or null.</summary>
    public IReadOnlyList<Methods.AuScore>? PerAu { get; init; }
    /// <summary>The robust policy with the AU branch's s against the same policy with the rendered AUs in its place (synthetic data), or null.</summary>
    public Correction.AuOracleResults? AuOracle { get; init; }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Writes the results to <paramref name="path"/> atomically.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Reads results written by <see cref="Write"/>.</summary>
    /// <exception cref="MetricsFileException">The file is missing, is not JSON, or lacks the test accuracy.</exception>
    public static TestResults Read(string path)
    {
        try
        {
            var results = JsonSerializer.Deserialize<TestResults>(File.ReadAllText(path), Json);
            return results?.Accuracy is not null ? results : throw new MetricsFileException(path, null, "expected a JSON object with the test \"accuracy\"");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new MetricsFileException(path, null, e.Message, e);
        }
    }
}
