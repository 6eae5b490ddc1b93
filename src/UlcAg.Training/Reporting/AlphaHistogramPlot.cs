using ScottPlot;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Reporting;

/// <summary>
/// Overlaid histograms of the confidence weight alpha (eq. 1) for clean and noisy training samples at
/// one epoch. Each group is scaled to its own size (share of the group per bin), since noisy samples
/// are usually a small minority; the title states the AUC of a low alpha for flagging noise.
/// </summary>
public static class AlphaHistogramPlot
{
    private const int Bins = 25;

    /// <summary>Writes the chart to <paramref name="path"/> as a PNG.</summary>
    /// <param name="alpha">Alpha of each training sample, in 0..1.</param>
    /// <param name="noisy">Whether each sample's starting label was wrong.</param>
    /// <param name="epoch">The epoch the values come from (for the title).</param>
    /// <param name="path">The PNG file.</param>
    /// <param name="size">Pixel size; <see cref="PlotSize.Default"/> when null.</param>
    /// <exception cref="ArgumentException">Lengths differ, or there are no samples.</exception>
    public static void Render(IReadOnlyList<float> alpha, IReadOnlyList<bool> noisy, int epoch, string path, PlotSize? size = null)
    {
        if (alpha.Count != noisy.Count)
            throw new ArgumentException($"{alpha.Count} alpha values but {noisy.Count} noise flags; expected one flag per sample.", nameof(noisy));
        if (alpha.Count == 0)
            throw new ArgumentException("No samples; nothing to plot.", nameof(alpha));
        var auc = RocAuc.AlphaFlagsNoise([.. alpha], [.. noisy]);
        var title = auc is { } a ? $"Confidence weight alpha at epoch {epoch} (AUC of low alpha for noise: {a:0.000})" : $"Confidence weight alpha at epoch {epoch}";
        using var plot = PlotKit.New(title, "alpha", "Share of the group (%)");

        var clean = alpha.Where((_, i) => !noisy[i]).ToArray();
        var wrong = alpha.Where((_, i) => noisy[i]).ToArray();
        AddGroup(plot, clean, $"clean labels (n = {clean.Length})", PlotKit.Palette[0]);
        AddGroup(plot, wrong, $"noisy labels (n = {wrong.Length})", PlotKit.Palette[3]);

        plot.Axes.AutoScale();
        plot.Axes.SetLimitsX(-0.01, 1.01);
        plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top * 1.05);
        PlotKit.Legend(plot, Alignment.UpperLeft);
        PlotKit.Save(plot, path, size ?? PlotSize.Default);
    }

    private static void AddGroup(Plot plot, float[] values, string legend, Color color)
    {
        if (values.Length == 0)
            return;
        const double width = 1.0 / Bins;
        var counts = new int[Bins];
        foreach (var v in values)
            counts[Math.Clamp((int)(v / width), 0, Bins - 1)]++;
        var bars = Enumerable.Range(0, Bins).Select(b => new Bar
        {
            Position = (b + 0.5) * width,
            Value = 100.0 * counts[b] / values.Length,
            Size = width,
            FillColor = color.WithAlpha(0.45),
            LineColor = color,
            LineWidth = 1,
        }).ToArray();
        var barPlot = plot.Add.Bars(bars);
        barPlot.LegendText = legend;
        barPlot.Color = color.WithAlpha(0.45);

        var mean = values.Average(v => (double)v);
        var line = plot.Add.VerticalLine(mean, 2, color);
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = $"mean {mean:0.000}";
    }
}
