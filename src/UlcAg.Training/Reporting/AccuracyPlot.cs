using ScottPlot;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Reporting;

/// <summary>Train and validation accuracy (and validation mean class accuracy) against the epoch, with the best validation epoch marked.</summary>
public static class AccuracyPlot
{
    /// <summary>Whether <paramref name="epochs"/> hold any accuracy to plot.</summary>
    public static bool HasData(IReadOnlyList<EpochMetrics> epochs) =>
        PlotKit.Any(epochs, e => e.TrainAccuracy) || PlotKit.Any(epochs, e => e.ValAccuracy) || PlotKit.Any(epochs, e => e.ValMeanClassAccuracy);

    /// <summary>Writes the chart to <paramref name="path"/> as a PNG.</summary>
    /// <exception cref="ArgumentException">No epoch has an accuracy.</exception>
    public static void Render(IReadOnlyList<EpochMetrics> epochs, string path, PlotSize? size = null)
    {
        if (!HasData(epochs))
            throw new ArgumentException("No epoch has an accuracy; nothing to plot.", nameof(epochs));
        using var plot = PlotKit.New("Accuracy per epoch", "Epoch", "Accuracy (%)");
        PlotKit.Line(plot, PlotKit.Series(epochs, e => e.TrainAccuracy, 100), "train (labels trained on)", PlotKit.Palette[0]);
        PlotKit.Line(plot, PlotKit.Series(epochs, e => e.ValAccuracy, 100), "validation", PlotKit.Palette[1], 2.5f);
        PlotKit.Line(plot, PlotKit.Series(epochs, e => e.ValMeanClassAccuracy, 100), "validation, mean class accuracy", PlotKit.Palette[2], 2, LinePattern.Dashed);

        if (RunFacts.BestValEpoch(epochs) is { } best)
        {
            var marker = plot.Add.VerticalLine(best.Epoch, 1.5f, PlotKit.Palette[1].WithAlpha(0.6));
            marker.LinePattern = LinePattern.Dotted;
            marker.LegendText = $"best validation: {best.ValAccuracy * 100:0.00}% at epoch {best.Epoch}";
        }
        PlotKit.EpochAxis(plot, epochs);
        PlotKit.Legend(plot, Alignment.LowerRight);
        PlotKit.Save(plot, path, size ?? PlotSize.Default);
    }
}
