using ScottPlot;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Reporting;

/// <summary>
/// A confusion matrix as a heat map: rows are true classes, columns predicted classes; the color is the
/// share of the row (so small classes are as readable as large ones), and each cell shows its count and
/// that share.
/// </summary>
public static class ConfusionMatrixPlot
{
    /// <summary>Writes the chart to <paramref name="path"/> as a PNG.</summary>
    /// <exception cref="ArgumentException">The class names do not match the matrix.</exception>
    public static void Render(ConfusionMatrix matrix, IReadOnlyList<string> classNames, string path, string? title = null, PlotSize? size = null)
    {
        var n = matrix.ClassCount;
        if (classNames.Count != n)
            throw new ArgumentException($"{classNames.Count} class names for a {n}-class confusion matrix; expected one per class.", nameof(classNames));
        var shares = matrix.RowNormalized();

        using var plot = PlotKit.New(
            title ?? $"Confusion matrix (accuracy {Percent(matrix.Accuracy)}, mean class accuracy {Percent(matrix.MeanClassAccuracy)})",
            "Predicted class", "True class");
        // Heatmap rows are drawn top to bottom, so row t (true class t) appears at y = n - 1 - t.
        var heatmap = plot.Add.Heatmap(shares);
        heatmap.Colormap = new SequentialBlues();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        heatmap.Rectangle = new CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "Share of the true class";
        colorBar.LabelStyle.FontSize = 14;
        var colorTicks = new ScottPlot.TickGenerators.NumericManual();
        for (var share = 0; share <= 100; share += 20)
            colorTicks.AddMajor(share / 100.0, share + "%");
        colorBar.Axis.TickGenerator = colorTicks;

        // Text scales with the cells: the side panels take about 230 pixels across and 120 down, and a
        // cell holds two lines of up to six characters ("100.0%").
        var chartSize = size ?? PlotSize.Square;
        var columnPixels = Math.Max(10f, (chartSize.Width - 230f) / n);
        var rowPixels = Math.Max(10f, (chartSize.Height - 120f) / n);
        var fontSize = Math.Clamp(Math.Min(columnPixels / (0.6f * 6), rowPixels / 2.8f), 7f, 18f);
        for (var t = 0; t < n; t++)
        {
            for (var p = 0; p < n; p++)
            {
                var text = plot.Add.Text($"{matrix[t, p]}\n{shares[t, p] * 100:0.0}%", p, n - 1 - t);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontSize = fontSize;
                text.LabelBold = t == p;
                text.LabelFontColor = shares[t, p] > 0.5 ? Colors.White : PlotKit.Ink;
            }
        }

        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, [.. classNames]);
        plot.Axes.Left.SetTicks(positions, [.. classNames.Reverse()]);
        // Class names under the columns shrink rather than overlap when columns get narrow.
        var longestName = Math.Max(1, classNames.Max(name => name.Length));
        plot.Axes.Bottom.TickLabelStyle.FontSize = Math.Clamp(columnPixels / (0.62f * longestName), 7f, 13f);
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.HideGrid();
        PlotKit.Save(plot, path, chartSize);
    }

    private static string Percent(double? share) => share is { } s ? $"{s * 100:0.00}%" : "n/a";
}
