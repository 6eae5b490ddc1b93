using ScottPlot;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Reporting;

/// <summary>
/// Relabeling (eq. 9-10) against the epoch: labels changed per epoch as bars (right axis) and, when the
/// clean labels are known, the precision and recall of the corrections, the share of noisy labels still
/// wrong and the current noise rate as lines (left axis).
/// </summary>
public static class RelabelPlot
{
    /// <summary>Whether any epoch carries a relabel audit.</summary>
    public static bool HasData(IReadOnlyList<EpochMetrics> epochs) => epochs.Any(e => e.Relabel is not null);

    /// <summary>Writes the chart to <paramref name="path"/> as a PNG.</summary>
    /// <exception cref="ArgumentException">No epoch has a relabel audit.</exception>
    public static void Render(IReadOnlyList<EpochMetrics> epochs, string path, PlotSize? size = null)
    {
        if (!HasData(epochs))
            throw new ArgumentException("No epoch has a relabel audit; nothing to plot.", nameof(epochs));
        var audited = epochs.Where(e => e.Relabel is not null).ToArray();
        var cleanKnown = audited.Any(e => e.Relabel!.CleanKnown);
        using var plot = PlotKit.New("Relabeling per epoch", "Epoch", cleanKnown ? "Share (%)" : "Labels changed");

        // Bars go on the right axis when lines take the left one.
        var barAxis = cleanKnown ? plot.Axes.Right : plot.Axes.Left;
        var barColor = PlotKit.Palette[7];
        var bars = plot.Add.Bars(audited.Select(e => new Bar
        {
            Position = e.Epoch,
            Value = e.Relabel!.Changed,
            Size = 0.6,
            FillColor = barColor.WithAlpha(0.35),
            LineColor = barColor.WithAlpha(0.6),
        }).ToArray());
        bars.LegendText = "labels changed in the epoch";
        bars.Color = barColor.WithAlpha(0.35);
        bars.Axes.YAxis = barAxis;

        if (cleanKnown)
        {
            plot.Axes.Right.Label.Text = "Labels changed";
            plot.Axes.Right.Label.FontSize = 15;
            plot.Axes.Right.TickLabelStyle.FontSize = 13;
            PlotKit.Line(plot, PlotKit.Series(audited, e => e.Relabel!.Precision, 100), "precision of the epoch's changes", PlotKit.Palette[0]);
            PlotKit.Line(plot, PlotKit.Series(audited, e => e.Relabel!.PrecisionTotal, 100), "precision of all changes so far", PlotKit.Palette[0], 2, LinePattern.Dashed);
            PlotKit.Line(plot, PlotKit.Series(audited, e => e.Relabel!.Recall, 100), "recall (noisy labels fixed)", PlotKit.Palette[2], 2.5f);
            PlotKit.Line(plot, PlotKit.Series(audited, e => e.Relabel!.NoisyStillWrong, 100), "noisy labels still wrong", PlotKit.Palette[3]);
            PlotKit.Line(plot, PlotKit.Series(audited, e => e.Relabel!.NoiseRate, 100), "current noise rate", PlotKit.Palette[3], 2, LinePattern.Dotted);
            plot.Axes.SetLimitsY(0, 105);
            var maxChanged = Math.Max(1, audited.Max(e => e.Relabel!.Changed));
            plot.Axes.SetLimitsY(0, maxChanged * 1.6, plot.Axes.Right);
        }
        PlotKit.EpochAxis(plot, epochs);
        PlotKit.Legend(plot, Alignment.UpperLeft);
        PlotKit.Save(plot, path, size ?? PlotSize.Default);
    }
}
