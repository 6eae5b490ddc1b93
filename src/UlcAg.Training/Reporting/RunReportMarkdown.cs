using System.Globalization;
using System.Text;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Reporting;

/// <summary>
/// The text of <c>report.md</c>: a summary of the run, where its files are, its charts, per-class test
/// results and a table of every epoch. Columns that no epoch has a value for are left out.
/// </summary>
public static class RunReportMarkdown
{
    /// <summary>Builds the report; <paramref name="figures"/> are embedded by their relative paths.</summary>
    /// <exception cref="ArgumentException">The test confusion matrix does not match the class names.</exception>
    public static string Build(RunReport report, IReadOnlyList<ReportFigure> figures, string? reportFolder = null)
    {
        if (report.Test is { } test && test.ClassCount != report.ClassNames.Count)
            throw new ArgumentException($"The test confusion matrix has {test.ClassCount} classes but the report names {report.ClassNames.Count}.", nameof(report));
        var text = new StringBuilder();
        var noise = report.Noise is null ? "" : $", {report.Noise} label noise";
        text.Append(CultureInfo.InvariantCulture, $"# {report.Method} on {report.Dataset}{noise}\n\n");
        Summary(text, report);
        Files(text, report, reportFolder);
        foreach (var figure in figures)
            text.Append(CultureInfo.InvariantCulture, $"## {figure.Title}\n\n![{figure.Title}]({MarkdownText.LinkTarget(figure.RelativePath)})\n\n{figure.Caption}\n\n");
        PerClass(text, report);
        CorrectionPerClass(text, report);
        AuBranch(text, report);
        PerEpoch(text, report.Epochs);
        return text.ToString();
    }

    private static void Summary(StringBuilder text, RunReport report)
    {
        var epochs = report.Epochs;
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "Method", report.Method },
            new[] { "Dataset", report.Dataset },
            new[] { "Label noise", report.Noise ?? "none added" },
            new[] { "Classes", string.Join(", ", report.ClassNames) },
            new[] { "Epochs run", epochs.Count == 0 ? "0" : $"{epochs.Count} (epochs {epochs[0].Epoch}-{epochs[^1].Epoch})" },
        };
        if (report.Test is { } test)
        {
            rows.Add([$"Final {report.TestSplit} accuracy", MarkdownText.Percent(test.Accuracy)]);
            rows.Add([$"Final {report.TestSplit} mean class accuracy", MarkdownText.Percent(test.MeanClassAccuracy)]);
            rows.Add([$"{Capitalize(report.TestSplit)} samples", MarkdownText.Integer(test.Total)]);
        }
        if (RunFacts.BestValEpoch(epochs) is { } best)
            rows.Add(["Best validation epoch", $"{best.Epoch} ({MarkdownText.Percent(best.ValAccuracy)}, mean class {MarkdownText.Percent(best.ValMeanClassAccuracy)})"]);
        if (RunFacts.LastRelabel(epochs) is { Relabel: { } audit } last)
        {
            rows.Add(["Labels changed by relabeling", $"{MarkdownText.Integer(audit.ChangedTotal)} of {MarkdownText.Integer(audit.Samples)} (by epoch {last.Epoch})"]);
            if (audit.CleanKnown)
            {
                rows.Add(["Relabel precision (all changes)", MarkdownText.Percent(audit.PrecisionTotal)]);
                rows.Add(["Relabel recall (noisy labels fixed)", $"{MarkdownText.Percent(audit.Recall)} ({MarkdownText.Integer(audit.NoisyFixed)} of {MarkdownText.Integer(audit.Noisy)})"]);
                rows.Add(["Noisy labels still wrong", MarkdownText.Percent(audit.NoisyStillWrong)]);
                rows.Add(["Clean labels broken", MarkdownText.Integer(audit.CleanBroken)]);
                rows.Add(["Noise rate: start -> end", $"{MarkdownText.Percent(Share(audit.Noisy, audit.Samples))} -> {MarkdownText.Percent(audit.NoiseRate)}"]);
            }
        }
        if (epochs.LastOrDefault(e => e.EstimatedNoise is not null) is { } estimated)
            rows.Add(["Estimated share of wrong labels (robust correction)", $"{MarkdownText.Percent(estimated.EstimatedNoise)} (epoch {estimated.Epoch})"]);
        if (epochs.LastOrDefault(e => e.AlphaAuc is not null) is { } withAuc)
            rows.Add(["AUC of low alpha for noisy labels", $"{MarkdownText.Number(withAuc.AlphaAuc, "0.000")} (epoch {withAuc.Epoch})"]);
        if (report.Branches?.AlphaErrorAuc is { } errorAuc)
            rows.Add([$"AUC of low alpha for {report.TestSplit} faces the classifier gets wrong", MarkdownText.Number(errorAuc, "0.000")]);
        var seconds = epochs.Sum(e => e.Seconds ?? 0);
        if (seconds > 0)
            rows.Add(["Training time", MarkdownText.Duration(seconds)]);
        if (epochs.Where(e => e.ImagesPerSecond is > 0).Select(e => e.ImagesPerSecond!.Value).ToArray() is { Length: > 0 } speeds)
            rows.Add(["Throughput (median over epochs)", $"{MarkdownText.Number(Median(speeds), "0.0")} images/s"]);
        foreach (var (key, value) in report.Settings)
            rows.Add([key, value]);

        text.Append("## Summary\n\n");
        MarkdownText.Table(text, ["Quantity", "Value"], rows);
    }

    private static void Files(StringBuilder text, RunReport report, string? reportFolder)
    {
        if (report.Files.Count == 0)
            return;
        text.Append("## Files\n\n");
        foreach (var link in report.Files)
        {
            var path = reportFolder is not null && IsInside(reportFolder, link.Path)
                ? Path.GetRelativePath(reportFolder, link.Path)
                : link.Path;
            text.Append(CultureInfo.InvariantCulture, $"- {link.Label}: [{path.Replace('\\', '/')}]({MarkdownText.LinkTarget(path)})\n");
        }
        text.Append('\n');
    }

    private static void PerClass(StringBuilder text, RunReport report)
    {
        if (report.Test is not { } test)
            return;
        text.Append(CultureInfo.InvariantCulture, $"## Per-class results ({report.TestSplit})\n\n");
        var rows = report.ClassNames.Select((name, c) => (IReadOnlyList<string>)
        [
            name,
            MarkdownText.Integer(test.Support(c)),
            MarkdownText.Integer(test.PredictedCount(c)),
            MarkdownText.Percent(test.ClassAccuracy(c)),
            MarkdownText.Percent(test.Precision(c)),
            MostConfused(test, report.ClassNames, c),
        ]);
        MarkdownText.Table(text, ["Class", "Samples", "Times predicted", "Accuracy (recall)", "Precision", "Most often mistaken for"], rows);
    }

    /// <summary>
    /// How well the AU branch sees AUs and what a perfect one would change: the robust policy's rules with
    /// s against the same rules with the AUs the faces truly show (synthetic data).
    /// </summary>
    private static void AuBranch(StringBuilder text, RunReport report)
    {
        if (report.Branches is not { } b || (b.AuAuc, b.AuAucRendered, b.TemplateAccuracy) is (null, null, null))
            return;
        text.Append(CultureInfo.InvariantCulture, $"## AU branch ({report.TestSplit})\n\n");
        var rows = new List<IReadOnlyList<string>>();
        if (b.AuAuc is { } auc) rows.Add(["Mean per-AU ROC AUC against the AU labels", MarkdownText.Number(auc, "0.000")]);
        if (b.AuAucRendered is { } rendered) rows.Add(["Mean per-AU ROC AUC against the rendered AUs", MarkdownText.Number(rendered, "0.000")]);
        if (b.TemplateAccuracy is { } templates) rows.Add(["Nearest template names the class (eq. 9)", MarkdownText.Percent(templates)]);
        MarkdownText.Table(text, ["Quantity", "Value"], rows);
        if (b.PerAu is { } perAu)
        {
            var rates = perAu.Any(a => a.FalsePositiveRate is not null);
            text.Append("Each AU's ROC AUC (the AU branch's score for it), and the share of faces that show it")
                .Append(rates ? "; the AU loss corrected each AU's labels for the false-positive rate beside it (model.au_loss: forward)" : "").Append(":\n\n");
            string[] header = ["AU", "AUC against the AU labels", "AUC against the rendered AUs", "Faces showing it (rendered AUs where known, else AU labels)"];
            MarkdownText.Table(text, rates ? [.. header, "False-positive rate of its labels"] : header,
                [.. perAu.Select(a =>
                {
                    IReadOnlyList<string> row = [a.Name, MarkdownText.Number(a.AucLabels, "0.000"), MarkdownText.Number(a.AucRendered, "0.000"), MarkdownText.Percent(a.Present)];
                    return rates ? [.. row, MarkdownText.Number(a.FalsePositiveRate, "0.000")] : row;
                })]);
        }
        if (b.Oracle is not { } o)
            return;
        text.Append(CultureInfo.InvariantCulture, $"""
            The robust policy's rules with the AU branch's s and with the AUs each face truly shows in its
            place: templates from the {MarkdownText.Integer(o.TrustedSamples)} trusted training samples, and one decision at the last
            epoch's averaged evidence from the original labels (no confirmation across epochs). Where the
            rows agree, a better AU branch would not help; a gap is what the AU branch costs.


            """);
        static IReadOnlyList<string> Row(string what, double templates, Correction.OneDecisionResult d) =>
            [what, MarkdownText.Percent(templates), MarkdownText.Integer(d.Changed), MarkdownText.Percent(d.Precision), MarkdownText.Percent(d.Recall)];
        MarkdownText.Table(text, ["AU evidence", "Template accuracy (test)", "Labels changed", "Precision", "Recall"],
        [
            Row("s, the AU branch's scores", o.TemplateAccuracy, o.Decision),
            Row("the rendered AUs in place of s", o.TemplateAccuracyTrueAus, o.DecisionTrueAus),
        ]);
    }

    /// <summary>Where relabeling helped and where it hurt, class by class (clean labels known).</summary>
    private static void CorrectionPerClass(StringBuilder text, RunReport report)
    {
        if (report.Labels is not { } labels)
            return;
        var (initial, final, clean) = (labels.Initial, labels.Final, labels.Clean);
        var n = initial.Count;
        text.Append("## Label correction per class (training set)\n\n");
        var rows = report.ClassNames.Select((name, c) =>
        {
            var noisy = Enumerable.Range(0, n).Where(i => initial[i] == c && clean[i] != c).ToList();
            var fixedCount = noisy.Count(i => final[i] == clean[i]);
            var movedTo = Enumerable.Range(0, n).Where(i => final[i] == c && initial[i] != c).ToList();
            var movedRight = movedTo.Count(i => clean[i] == c);
            var broken = Enumerable.Range(0, n).Count(i => initial[i] == c && clean[i] == c && final[i] != c);
            return (IReadOnlyList<string>)
            [
                name,
                MarkdownText.Integer(Enumerable.Range(0, n).Count(i => clean[i] == c)),
                MarkdownText.Integer(noisy.Count),
                MarkdownText.Integer(fixedCount),
                MarkdownText.Integer(movedTo.Count),
                movedTo.Count == 0 ? "" : MarkdownText.Percent((double)movedRight / movedTo.Count),
                MarkdownText.Integer(broken),
            ];
        });
        MarkdownText.Table(text, ["Class", "Truly of the class", "Wrongly labelled as it", "Of those corrected", "Changed to it", "Precision of changes to it", "Its clean labels broken"], rows);
        text.Append("A change is right when the new label is the clean one. Rows are the labels as given (\"wrongly labelled as it\") and as changed to (\"changed to it\").\n\n");
    }

    private static void PerEpoch(StringBuilder text, IReadOnlyList<EpochMetrics> epochs)
    {
        if (epochs.Count == 0)
            return;
        var columns = new List<(string Header, Func<EpochMetrics, string?> Cell)> { ("Epoch", e => e.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        foreach (var group in RunFacts.LearningRateGroups(epochs))
            columns.Add(($"lr {group}", e => e.LearningRates.TryGetValue(group, out var lr) ? MarkdownText.Rate(lr) : null));
        columns.Add(("lambda1", e => e.Lambda1 is null ? null : MarkdownText.Number(e.Lambda1, "0.000")));
        columns.Add(("lambda2", e => e.Lambda2 is null ? null : MarkdownText.Number(e.Lambda2, "0.000")));
        foreach (var term in LossTerms.Ordered(epochs.SelectMany(e => e.Losses.Keys)))
            columns.Add(($"loss {term}", e => e.Losses.TryGetValue(term, out var v) ? MarkdownText.Number(v) : null));
        columns.Add(("train acc", e => e.TrainAccuracy is null ? null : MarkdownText.Percent(e.TrainAccuracy)));
        // The best validation epoch is set in bold.
        var best = RunFacts.BestValEpoch(epochs);
        columns.Add(("val acc", e => e.ValAccuracy is null ? null : ReferenceEquals(e, best) ? $"**{MarkdownText.Percent(e.ValAccuracy)}**" : MarkdownText.Percent(e.ValAccuracy)));
        columns.Add(("val mean class acc", e => e.ValMeanClassAccuracy is null ? null : MarkdownText.Percent(e.ValMeanClassAccuracy)));
        columns.Add(("relabeled", e => e.Relabel is { } r ? MarkdownText.Integer(r.Changed) : null));
        columns.Add(("relabel precision", e => e.Relabel?.Precision is { } p ? MarkdownText.Percent(p, 1) : null));
        columns.Add(("relabel recall", e => e.Relabel?.Recall is { } r ? MarkdownText.Percent(r, 1) : null));
        columns.Add(("noisy still wrong", e => e.Relabel?.NoisyStillWrong is { } w ? MarkdownText.Percent(w, 1) : null));
        columns.Add(("alpha AUC", e => e.AlphaAuc is null ? null : MarkdownText.Number(e.AlphaAuc, "0.000")));
        columns.Add(("images/s", e => e.ImagesPerSecond is null ? null : MarkdownText.Number(e.ImagesPerSecond, "0.0")));
        columns.Add(("seconds", e => e.Seconds is null ? null : MarkdownText.Number(e.Seconds, "0.0")));

        var used = columns.Where(c => epochs.Any(e => c.Cell(e) is not null)).ToArray();
        text.Append("## Per-epoch metrics\n\n");
        MarkdownText.Table(text, [.. used.Select(c => c.Header)],
            epochs.Select(e => (IReadOnlyList<string>)[.. used.Select(c => c.Cell(e) ?? "")]));
    }

    private static string MostConfused(ConfusionMatrix matrix, IReadOnlyList<string> names, int c)
    {
        var best = -1;
        for (var p = 0; p < matrix.ClassCount; p++)
        {
            if (p != c && matrix[c, p] > 0 && (best < 0 || matrix[c, p] > matrix[c, best]))
                best = p;
        }
        return best < 0 ? "-" : $"{names[best]} ({MarkdownText.Percent((double)matrix[c, best] / matrix.Support(c), 1)})";
    }

    private static double? Share(int part, int whole) => whole > 0 ? (double)part / whole : null;

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string Capitalize(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    private static bool IsInside(string folder, string path)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(folder), Path.GetFullPath(path));
        return !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}
