using ScottPlot;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Reporting;

/// <summary>
/// The schedule against the epoch: the learning rate of each parameter group on a log scale (left axis)
/// and the loss ramps lambda1, lambda2 (eq. 12-13) on the right axis.
/// </summary>
public static class SchedulePlot
{
    /// <summary>Whether any epoch has a learning rate or a lambda.</summary>
    public static bool HasData(IReadOnlyList<EpochMetrics> epochs) =>
        epochs.Any(e => e.LearningRates.Values.Any(v => v > 0)) || PlotKit.Any(epochs, e => e.Lambda1) || PlotKit.Any(epochs, e => e.Lambda2);

    /// <summary>Writes the chart to <paramref name="path"/> as a PNG.</summary>
    /// <exception cref="ArgumentException">No epoch has a learning rate or lambda.</exception>
    public static void Render(IReadOnlyList<EpochMetrics> epochs, string path, PlotSize? size = null)
    {
        if (!HasData(epochs))
            throw new ArgumentException("No epoch has a learning rate or lambda; nothing to plot.", nameof(epochs));
        using var plot = PlotKit.New("Learning rates and loss ramps", "Epoch", "Learning rate (log scale)");

        // ScottPlot has no log axis: plot log10(lr) and label the ticks with the rate itself.
        var groups = RunFacts.LearningRateGroups(epochs);
        for (var g = 0; g < groups.Count; g++)
        {
            var name = groups[g];
            var series = PlotKit.Series(epochs, e => e.LearningRates.TryGetValue(name, out var lr) && lr > 0 ? Math.Log10(lr) : null);
            var line = PlotKit.Line(plot, series, $"lr: {name}", PlotKit.Palette[g % PlotKit.Palette.Length], 2.5f);
            if (line is not null)
                line.ConnectStyle = ConnectStyle.StepHorizontal;
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("0.#######", System.Globalization.CultureInfo.InvariantCulture),
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        };

        var lambda1 = PlotKit.Line(plot, PlotKit.Series(epochs, e => e.Lambda1), "lambda1 (eq. 12, target losses)", PlotKit.Palette[4], 2, LinePattern.Dashed);
        var lambda2 = PlotKit.Line(plot, PlotKit.Series(epochs, e => e.Lambda2), "lambda2 (eq. 13, AU loss)", PlotKit.Palette[5], 2, LinePattern.Dashed);
        if (lambda1 is not null || lambda2 is not null)
        {
            foreach (var line in new[] { lambda1, lambda2 })
            {
                if (line is not null)
                    line.Axes.YAxis = plot.Axes.Right;
            }
            plot.Axes.Right.Label.Text = "lambda";
            plot.Axes.Right.Label.FontSize = 15;
            plot.Axes.Right.TickLabelStyle.FontSize = 13;
            // Lambda 1 sits below the top, so it does not run along the highest learning rate.
            plot.Axes.SetLimitsY(0, 1.3, plot.Axes.Right);
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            foreach (var value in new[] { 0, 0.25, 0.5, 0.75, 1 })
                ticks.AddMajor(value, value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture));
            plot.Axes.Right.TickGenerator = ticks;
        }
        var logs = epochs.SelectMany(e => e.LearningRates.Values).Where(v => v > 0).Select(Math.Log10).ToArray();
        if (logs.Length > 0)
            plot.Axes.SetLimitsY(logs.Min() - 0.9, logs.Max() + 0.15);
        PlotKit.EpochAxis(plot, epochs);
        PlotKit.Legend(plot, Alignment.LowerLeft);
        PlotKit.Save(plot, path, size ?? PlotSize.Default);
    }
}
