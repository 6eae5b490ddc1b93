using System.Globalization;
using System.Text;
using UlcAg.IO;
using UlcAg.Training.Reporting;

namespace UlcAg.Training.Experiments;

/// <summary>Mean, sample standard deviation and count of one figure over a cell's seeds.</summary>
public readonly record struct SeedStatistic(double Mean, double StandardDeviation, int Count)
{
    /// <summary>The statistic of the values that are known; null when none is.</summary>
    public static SeedStatistic? Of(IEnumerable<double?> values)
    {
        var known = values.Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToArray();
        if (known.Length == 0)
            return null;
        var mean = known.Average();
        var sd = known.Length > 1 ? Math.Sqrt(known.Sum(v => (v - mean) * (v - mean)) / (known.Length - 1)) : 0;
        return new SeedStatistic(mean, sd, known.Length);
    }

    /// <summary><c>81.2 ± 0.4</c> in percent (± only with two or more seeds); <c>+1.2 ± 0.4</c> with <paramref name="signed"/>.</summary>
    public string Percent(bool signed = false)
    {
        var format = signed ? "+0.0;-0.0;0.0" : "0.0";
        var mean = (Mean * 100).ToString(format, CultureInfo.InvariantCulture);
        return Count > 1 ? string.Create(CultureInfo.InvariantCulture, $"{mean} ± {StandardDeviation * 100:0.0}") : mean;
    }
}

/// <summary>
/// Writes an experiment's tables: <c>results.md</c> (one markdown table per paper table, mean ± standard
/// deviation over seeds per cell), <c>runs.csv</c> (every finished run's figures) and a bar chart per
/// table (<c>tableN.png</c>). Rewritten after every run, so partial results can be read at any time.
/// </summary>
public static class ExperimentSummary
{
    public const string FileName = "results.md";
    public const string RunsFile = "runs.csv";

    /// <summary>
    /// The statistics of one row: figures over the seeds that have finished. <c>Gain</c> is the accuracy
    /// difference to the table's reference row (the first row at the same noise rate: the baseline, or
    /// random edges in Table II), paired by seed (same generated data and injected noise), so that the
    /// spread between datasets of different seeds does not hide it; null for the reference row itself.
    /// </summary>
    public sealed record RowSummary(TableRow Row, int Seeds, SeedStatistic? Accuracy, SeedStatistic? Gain, SeedStatistic? MeanClassAccuracy,
        SeedStatistic? Precision, SeedStatistic? Recall, SeedStatistic? NoisyStillWrong, SeedStatistic? WrongLabelsEnd, SeedStatistic? AlphaAuc, SeedStatistic? AuAuc, SeedStatistic? TemplateAccuracy);

    /// <summary>Summarizes every row of <paramref name="table"/>.</summary>
    public static IReadOnlyList<RowSummary> Summarize(TableSpec table, ExperimentPlan plan, IReadOnlyDictionary<PlannedRun, RunResult> results) =>
        [.. table.Rows.Select(row =>
        {
            var runs = plan.Runs.Where(r => r.Cell == row.Cell && results.ContainsKey(r)).Select(r => results[r]).ToList();
            var reference = table.Rows.First(r => r.Cell.NoiseRate == row.Cell.NoiseRate).Cell;
            var gains = reference == row.Cell ? null : SeedStatistic.Of(plan.Runs
                .Where(r => r.Cell == row.Cell && results.ContainsKey(r) && results.ContainsKey(r with { Cell = reference }))
                .Select(r => (double?)(results[r].Test.Accuracy - results[r with { Cell = reference }].Test.Accuracy)));
            return new RowSummary(row, runs.Count,
                SeedStatistic.Of(runs.Select(r => (double?)r.Test.Accuracy)),
                gains,
                SeedStatistic.Of(runs.Select(r => (double?)r.Test.MeanClassAccuracy)),
                SeedStatistic.Of(runs.Select(r => r.Test.RelabelPrecision)),
                SeedStatistic.Of(runs.Select(r => r.Test.RelabelRecall)),
                SeedStatistic.Of(runs.Select(r => r.Test.NoisyStillWrong)),
                SeedStatistic.Of(runs.Select(r => r.Test.WrongLabelsEnd)),
                SeedStatistic.Of(runs.Select(r => r.AlphaAuc)),
                SeedStatistic.Of(runs.Select(r => r.Test.AuAuc)),
                SeedStatistic.Of(runs.Select(r => r.Test.TemplateAccuracy)));
        })];

    /// <summary>Writes results.md, runs.csv and the charts into the experiment folder.</summary>
    public static void Write(ExperimentPlan plan, IReadOnlyDictionary<PlannedRun, RunResult> results)
    {
        var folder = plan.Request.Output;
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), Markdown(plan, results));
        AtomicFile.WriteAllText(Path.Combine(folder, RunsFile), Csv(plan, results));
        foreach (var table in plan.Tables)
        {
            var rows = Summarize(table, plan, results);
            if (rows.Any(r => r.Accuracy is not null))
                ExperimentPlots.WriteTable(Path.Combine(folder, $"table{table.Number}.png"), table, rows);
        }
    }

    /// <summary>The markdown of results.md.</summary>
    public static string Markdown(ExperimentPlan plan, IReadOnlyDictionary<PlannedRun, RunResult> results)
    {
        var request = plan.Request;
        var md = new StringBuilder();
        md.AppendLine("# Paper tables").AppendLine();
        var finished = plan.Runs.Count(results.ContainsKey);
        md.AppendLine(CultureInfo.InvariantCulture, $"Configuration: {Command(request)}. Seeds: {string.Join(", ", request.Seeds)}. " +
            $"Finished runs: {finished} of {plan.Runs.Count}.").AppendLine();
        md.AppendLine("Cells: test accuracy in percent, mean ± sample standard deviation over the finished seeds (n). " +
            "Δ: the accuracy difference to the table's reference row (baseline, or random edges in Table II) " +
            "within each seed (same generated data and noise), mean ± standard deviation over seeds. " +
            "Relabel precision: share of changed labels that became correct; recall: share of the wrong training labels " +
            "that were corrected; left wrong: share of the wrong training labels still wrong at the end; " +
            "alpha AUC: how well the confidence alpha ranks noisy below clean samples (0.5 = chance); " +
            "AU AUC: how well the AU branch's scores rank each AU on the test images (mean over AUs; 0.5 = chance); " +
            "template acc.: share of test images whose nearest semantic template is their class (what the relabel rule relies on).").AppendLine();
        foreach (var table in plan.Tables)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## Table {Roman(table.Number)}: {table.Caption}").AppendLine();
            var rows = Summarize(table, plan, results);
            var relabel = table.HasInjectedNoise;
            var headers = table.LabelHeaders.Concat(["Test accuracy", $"Δ vs {ReferenceName(table)} (paired)", "Mean class acc."])
                .Concat(relabel ? ["Relabel precision", "Relabel recall", "Noisy left wrong", "Alpha AUC", "AU AUC", "Template acc."] : [])
                .Append("n").ToList();
            md.AppendLine("| " + string.Join(" | ", headers) + " |");
            md.AppendLine("|" + string.Concat(headers.Select(_ => " --- |")));
            foreach (var row in rows)
            {
                var cells = row.Row.Labels.Concat([Cell(row.Accuracy), row.Gain?.Percent(signed: true) ?? "-", Cell(row.MeanClassAccuracy)])
                    .Concat(relabel ? [Cell(row.Precision), Cell(row.Recall), Cell(row.NoisyStillWrong), Auc(row.AlphaAuc), Auc(row.AuAuc), Cell(row.TemplateAccuracy)] : [])
                    .Append(row.Seeds.ToString(CultureInfo.InvariantCulture));
                md.AppendLine("| " + string.Join(" | ", cells) + " |");
            }

            md.AppendLine();
            if (rows.Any(r => r.Accuracy is not null))
                md.AppendLine(CultureInfo.InvariantCulture, $"![Table {Roman(table.Number)}](table{table.Number}.png)").AppendLine();
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"Every run's figures: [{RunsFile}]({RunsFile}); run directories (report.md, metrics, relabels) under `runs/`.");
        return md.ToString();
    }

    private static string Csv(ExperimentPlan plan, IReadOnlyDictionary<PlannedRun, RunResult> results)
    {
        var csv = new StringBuilder("run,method,noise_rate,seed,accuracy,mean_class_accuracy,relabeled,relabel_precision,relabel_recall,noisy_still_wrong,wrong_labels_start,wrong_labels_end,alpha_auc,au_auc,au_auc_rendered,template_accuracy,train_seconds,alpha_error_auc\n");
        foreach (var run in plan.Runs.Where(results.ContainsKey))
        {
            var r = results[run];
            csv.AppendLine(string.Join(",", new object?[]
            {
                run.Name, run.Cell.MethodKey, run.Cell.NoiseRate, run.Seed, r.Test.Accuracy, r.Test.MeanClassAccuracy, r.Test.Relabeled,
                r.Test.RelabelPrecision, r.Test.RelabelRecall, r.Test.NoisyStillWrong, r.Test.WrongLabelsStart, r.Test.WrongLabelsEnd, r.AlphaAuc, r.Test.AuAuc, r.Test.AuAucRendered, r.Test.TemplateAccuracy, Math.Round(r.TrainSeconds, 1), r.Test.AlphaErrorAuc,
            }.Select(v => v is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : v?.ToString() ?? "")));
        }

        return csv.ToString();
    }

    private static string ReferenceName(TableSpec table) => table.Number == 2 ? "random edges" : "baseline";

    private static string Command(ExperimentRequest request) =>
        "`" + string.Join(" ", request.Configs.Select(c => "--config " + c).Concat(request.Settings.Select(s => "--set " + s)).DefaultIfEmpty("the demo preset")) + "`";

    private static string Cell(SeedStatistic? s) => s?.Percent() ?? "-";

    private static string Auc(SeedStatistic? s) => s is { } v
        ? v.Count > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{v.Mean:0.00} ± {v.StandardDeviation:0.00}")
            : string.Create(CultureInfo.InvariantCulture, $"{v.Mean:0.00}")
        : "-";

    internal static string Roman(int n) => n switch { 1 => "I", 2 => "II", 3 => "III", 4 => "IV", _ => n.ToString(CultureInfo.InvariantCulture) };
}
