using UlcAg.IO;
namespace UlcAg.Training.Reporting;

/// <summary>
/// Writes a run's <c>report.md</c> and its charts (PNG files in a <c>plots</c> folder beside it). Charts
/// without data (no relabeling, no test split, no alpha snapshot) are left out. Every file is written
/// atomically, so a reader never sees half a report.
/// </summary>
public static class RunReportWriter
{
    /// <summary>Renders the charts of <paramref name="report"/> into <paramref name="folder"/>/plots and writes <paramref name="folder"/>/report.md.</summary>
    /// <returns>The path of report.md.</returns>
    public static string Write(RunReport report, string folder)
    {
        var figures = RenderFigures(report, folder);
        var path = Path.Combine(folder, RunFolder.ReportFile);
        AtomicFile.WriteAllText(path, RunReportMarkdown.Build(report, figures, folder));
        return path;
    }

    /// <summary>Renders every chart <paramref name="report"/> has data for into <paramref name="folder"/>/plots.</summary>
    public static IReadOnlyList<ReportFigure> RenderFigures(RunReport report, string folder)
    {
        var figures = new List<ReportFigure>();
        void Add(string file, string title, string caption, Action<string> render)
        {
            render(Path.Combine(folder, RunFolder.PlotsFolder, file));
            figures.Add(new ReportFigure(title, RunFolder.PlotsFolder + "/" + file, caption));
        }

        var epochs = report.Epochs;
        if (AccuracyPlot.HasData(epochs))
            Add("accuracy.png", "Accuracy", "Train accuracy is measured against the labels trained on (noisy or corrected); validation against the split's labels. The dotted line marks the best validation epoch.",
                p => AccuracyPlot.Render(epochs, p));
        if (LossPlot.HasData(epochs))
            Add("loss.png", "Loss terms", "Epoch means of the loss terms; the total is the weighted sum of eq. 11.",
                p => LossPlot.Render(epochs, p));
        if (report.Test is { } test)
            Add("confusion.png", $"Confusion matrix ({report.TestSplit})", "Rows are true classes, columns predicted ones; colors are shares of the row, cells show count and share.",
                p => ConfusionMatrixPlot.Render(test, report.ClassNames, p, size: PlotSize.Square));
        if (report.Alpha is { } alpha)
            Add($"alpha-epoch-{alpha.Epoch}.png", $"Confidence weight alpha at epoch {alpha.Epoch}", "If alpha flags noise, the noisy group sits to the left of the clean one; each group is scaled to its own size.",
                p => AlphaHistogramPlot.Render(alpha.Alpha, alpha.Noisy, alpha.Epoch, p));
        if (RelabelPlot.HasData(epochs))
            Add("relabel.png", "Relabeling", "Bars: labels changed per epoch. Lines: precision of the changes, recall of the noisy labels, and what is still wrong (clean labels known).",
                p => RelabelPlot.Render(epochs, p));
        if (SchedulePlot.HasData(epochs))
            Add("schedule.png", "Schedule", "Learning rate per parameter group (log scale) and the loss ramps lambda1, lambda2 of eq. 12-13.",
                p => SchedulePlot.Render(epochs, p));
        return figures;
    }
}
