using ScottPlot;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Reporting;

/// <summary>The epoch mean of each loss term (eq. 3, 4, 7 and the total, eq. 11) against the epoch.</summary>
public static class LossPlot
{
    /// <summary>Whether <paramref name="epochs"/> hold any loss value to plot.</summary>
    public static bool HasData(IReadOnlyList<EpochMetrics> epochs) => epochs.Any(e => e.Losses.Values.Any(double.IsFinite));

    /// <summary>Writes the chart to <paramref name="path"/> as a PNG.</summary>
    /// <exception cref="ArgumentException">No epoch has a loss value.</exception>
    public static void Render(IReadOnlyList<EpochMetrics> epochs, string path, PlotSize? size = null)
    {
        if (!HasData(epochs))
            throw new ArgumentException("No epoch has a loss value; nothing to plot.", nameof(epochs));
        using var plot = PlotKit.New("Loss terms per epoch", "Epoch", "Loss (epoch mean)");
        var names = LossTerms.Ordered(epochs.SelectMany(e => e.Losses.Keys));
        var next = 0;
        foreach (var name in names)
        {
            var series = PlotKit.Series(epochs, e => e.Losses.TryGetValue(name, out var v) ? v : null);
            var isTotal = name == LossTerms.Total;
            var color = isTotal ? PlotKit.Ink : PlotKit.Palette[next++ % PlotKit.Palette.Length];
            PlotKit.Line(plot, series, Label(name), color, isTotal ? 3 : 2, isTotal ? null : LinePattern.Solid);
        }
        PlotKit.EpochAxis(plot, epochs);
        PlotKit.Legend(plot, Alignment.UpperRight);
        PlotKit.Save(plot, path, size ?? PlotSize.Default);
    }

    private static string Label(string name) => name switch
    {
        LossTerms.Total => "total (eq. 11)",
        LossTerms.Wce => "weighted CE (eq. 3)",
        LossTerms.Ce => "cross-entropy",
        LossTerms.Rr => "rank regularization (eq. 4)",
        LossTerms.Au => "AU loss (eq. 7)",
        _ => name,
    };
}
