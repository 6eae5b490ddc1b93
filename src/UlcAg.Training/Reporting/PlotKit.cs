using ScottPlot;
using UlcAg.IO;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Reporting;

/// <summary>The look shared by the report's charts, series extraction, and atomic PNG output.</summary>
internal static class PlotKit
{
    /// <summary>A qualitative palette (Tableau 10), so a quantity keeps its color across charts.</summary>
    public static readonly Color[] Palette = Color.FromHex(
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]);

    public static readonly Color Ink = Color.FromHex("#222222");

    // ScottPlot falls back to a serif face where its preferred sans fonts are missing; use the first
    // sans family the machine really has.
    private static readonly string? SansFont = new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans", "Segoe UI" }
        .FirstOrDefault(name => Fonts.GetTypeface(name, bold: false, italic: false)?.FamilyName == name);

    private const float TitleSize = 20;

    public static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (SansFont is not null)
            plot.Font.Set(SansFont);
        plot.Title(title, TitleSize);
        plot.XLabel(xLabel, 15);
        plot.YLabel(yLabel, 15);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Grid.MajorLineColor = Color.FromHex("#e5e5e5");
        return plot;
    }

    /// <summary>Integer epoch ticks and a little room either side of the first and last epoch.</summary>
    public static void EpochAxis(Plot plot, IReadOnlyList<EpochMetrics> epochs)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (epochs.Count > 0)
        {
            var first = epochs.Min(e => e.Epoch);
            var last = epochs.Max(e => e.Epoch);
            var pad = Math.Max(0.5, (last - first) * 0.02);
            plot.Axes.SetLimitsX(first - pad, last + pad);
        }
    }

    /// <summary>(epoch, value * scale) for every epoch whose value is known and finite.</summary>
    public static (double[] X, double[] Y) Series(IReadOnlyList<EpochMetrics> epochs, Func<EpochMetrics, double?> pick, double scale = 1)
    {
        var points = epochs
            .Select(e => (X: (double)e.Epoch, Y: pick(e)))
            .Where(p => p.Y is { } y && double.IsFinite(y))
            .ToArray();
        return ([.. points.Select(p => p.X)], [.. points.Select(p => p.Y!.Value * scale)]);
    }

    /// <summary>Whether any epoch has a known, finite value of <paramref name="pick"/>.</summary>
    public static bool Any(IReadOnlyList<EpochMetrics> epochs, Func<EpochMetrics, double?> pick) =>
        epochs.Any(e => pick(e) is { } y && double.IsFinite(y));

    /// <summary>A line with point markers for a per-epoch series; nothing is added for an empty series.</summary>
    public static ScottPlot.Plottables.Scatter? Line(
        Plot plot, (double[] X, double[] Y) series, string legend, Color color, float width = 2, LinePattern? pattern = null)
    {
        if (series.X.Length == 0)
            return null;
        var line = plot.Add.Scatter(series.X, series.Y, color);
        line.LegendText = legend;
        line.LineWidth = width;
        line.MarkerSize = series.X.Length > 60 ? 0 : 5;
        if (pattern is { } p)
            line.LinePattern = p;
        return line;
    }

    public static void Legend(Plot plot, Alignment alignment)
    {
        var legend = plot.ShowLegend(alignment);
        legend.FontSize = 13;
        legend.BackgroundColor = Colors.White.WithAlpha(0.85);
    }

    /// <summary>Renders <paramref name="plot"/> as a PNG and writes it atomically.</summary>
    public static void Save(Plot plot, string path, PlotSize size)
    {
        size.Validate();
        FitTitle(plot, size.Width);
        var bytes = plot.GetImageBytes(size.Width, size.Height, ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>
    /// Shrinks the title font until the title fits (DejaVu Sans averages about 0.56 em per character). The
    /// title is centered on the data area, not the image, so it gets 80% of the width.
    /// </summary>
    private static void FitTitle(Plot plot, int width)
    {
        var label = plot.Axes.Title.Label;
        var longest = label.Text.Split('\n').Max(line => line.Length);
        if (longest > 0)
            label.FontSize = Math.Min(TitleSize, 0.8f * width / (0.56f * longest));
    }
}
