using System.Text.Json;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Experiments;

/// <summary>
/// The numbers a finished run contributes to a table, read from its <c>test.json</c> (written last, so
/// its presence marks a finished run) and <c>metrics.jsonl</c>. Relabel figures are null where the
/// clean labels are unknown or nothing was relabeled.
/// </summary>
public sealed record RunResult
{
    public const string TestFile = "test.json";

    public required double Accuracy { get; init; }
    public required double MeanClassAccuracy { get; init; }
    public int Relabeled { get; init; }
    public double? RelabelPrecision { get; init; }
    public double? RelabelRecall { get; init; }

    /// <summary>Share of the injected noisy labels still wrong at the end.</summary>
    public double? NoisyStillWrong { get; init; }

    /// <summary>Share of all training labels that are wrong at the start and at the end.</summary>
    public double? WrongLabelsStart { get; init; }
    public double? WrongLabelsEnd { get; init; }

    /// <summary>ROC AUC of alpha for noisy vs clean samples in the last epoch.</summary>
    public double? AlphaAuc { get; init; }

    /// <summary>Mean per-AU ROC AUC of the AU branch on the test split; null without an AU branch.</summary>
    public double? AuAuc { get; init; }

    /// <summary>Share of test samples whose nearest semantic template is their class (the relabel rule's accuracy); null without templates.</summary>
    public double? TemplateAccuracy { get; init; }

    /// <summary>Training time over all epochs (validation included), from metrics.jsonl.</summary>
    public double TrainSeconds { get; init; }

    /// <summary>Whether <paramref name="runDirectory"/> holds a finished run.</summary>
    public static bool IsFinished(string runDirectory) => File.Exists(Path.Combine(runDirectory, TestFile));

    /// <summary>Reads a finished run.</summary>
    /// <exception cref="ExperimentException">test.json is missing or not what the trainer writes.</exception>
    public static RunResult Read(string runDirectory)
    {
        var path = Path.Combine(runDirectory, TestFile);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            var metricsPath = Path.Combine(runDirectory, MetricsLog.FileName);
            var epochs = File.Exists(metricsPath) ? MetricsLog.Read(metricsPath).Entries : [];
            return new RunResult
            {
                Accuracy = root.GetProperty("accuracy").GetDouble(),
                MeanClassAccuracy = root.GetProperty("mean_class_accuracy").GetDouble(),
                Relabeled = Optional(root, "relabeled") is { } r ? (int)r : 0,
                RelabelPrecision = Optional(root, "relabel_precision"),
                RelabelRecall = Optional(root, "relabel_recall"),
                NoisyStillWrong = Optional(root, "noisy_still_wrong"),
                WrongLabelsStart = Optional(root, "wrong_labels_start"),
                WrongLabelsEnd = Optional(root, "wrong_labels_end"),
                AuAuc = Optional(root, "au_auc"),
                TemplateAccuracy = Optional(root, "template_accuracy"),
                AlphaAuc = epochs.Count > 0 ? epochs[^1].AlphaAuc : null,
                TrainSeconds = epochs.Sum(e => e.Seconds ?? 0),
            };
        }
        catch (Exception e) when (e is JsonException or MetricsFileException or KeyNotFoundException or InvalidOperationException or IOException or FormatException)
        {
            throw new ExperimentException($"{path}: not a finished run's test results ({e.Message}); delete the run directory to train it again");
        }
    }

    private static double? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
