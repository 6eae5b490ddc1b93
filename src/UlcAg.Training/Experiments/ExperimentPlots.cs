using ScottPlot;
using UlcAg.Training.Reporting;

namespace UlcAg.Training.Experiments;

/// <summary>Bar charts of the paper tables: test accuracy per row, with the seed-to-seed standard deviation as error bars.</summary>
internal static class ExperimentPlots
{
    /// <summary>
    /// Writes <paramref name="path"/>. Table III is grouped by noise level with one colour per method;
    /// the other tables get one bar per row.
    /// </summary>
    public static void WriteTable(string path, TableSpec table, IReadOnlyList<ExperimentSummary.RowSummary> rows)
    {
        var plot = PlotKit.New($"Table {ExperimentSummary.Roman(table.Number)}: {table.Caption}", "", "Test accuracy (%)");
        var grouped = table.Number == 3;
        var groups = grouped ? rows.GroupBy(r => r.Row.Cell.NoiseRate).Select(g => g.ToList()).ToList() : [rows.ToList()];
        var series = rows.Select(r => grouped ? r.Row.Labels[0] : string.Join(", ", r.Row.Labels)).Distinct().ToList();
        var ticks = new List<Tick>();
        var low = double.MaxValue;
        var high = double.MinValue;
        for (var g = 0; g < groups.Count; g++)
        {
            var center = g * (series.Count + 1.5);
            foreach (var row in groups[g])
            {
                var name = grouped ? row.Row.Labels[0] : string.Join(", ", row.Row.Labels);
                var index = series.IndexOf(name);
                var x = center + index;
                if (!grouped)
                    ticks.Add(new Tick(x, Wrap(TickLabel(table, row.Row))));
                if (row.Accuracy is not { } acc)
                    continue;
                var bar = new Bar
                {
                    Position = x,
                    Value = acc.Mean * 100,
                    Error = acc.StandardDeviation * 100,
                    FillColor = PlotKit.Palette[index % PlotKit.Palette.Length],
                    ErrorSize = 0.25,
                    Label = acc.Mean.ToString("P1", System.Globalization.CultureInfo.InvariantCulture),
                };
                plot.Add.Bar(bar);
                low = Math.Min(low, (acc.Mean - acc.StandardDeviation) * 100);
                high = Math.Max(high, (acc.Mean + acc.StandardDeviation) * 100);
            }

            if (grouped)
                ticks.Add(new Tick(center + (series.Count - 1) / 2.0, $"{groups[g][0].Row.Labels[1]} noise"));
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        if (low <= high)
        {
            // Differences of a point or two matter here: zoom to the measured range instead of starting at 0.
            var pad = Math.Max(1, (high - low) * 0.25);
            plot.Axes.SetLimitsY(Math.Max(0, low - pad * 2), Math.Min(100, high + pad));
        }

        if (grouped)
        {
            foreach (var (name, index) in series.Select((n, i) => (n, i)))
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = name, FillColor = PlotKit.Palette[index % PlotKit.Palette.Length] });
            PlotKit.Legend(plot, Alignment.UpperRight);
        }

        PlotKit.Save(plot, path, PlotSize.Default);
    }

    private static string TickLabel(TableSpec table, TableRow row) => table.Number == 1
        ? (row.Labels[0], row.Labels[1]) switch
        {
            ("×", "×") => "neither branch",
            ("✓", "×") => "target branch",
            ("×", "✓") => "auxiliary branch",
            _ => "both branches",
        }
        : string.Join(", ", row.Labels);

    private static string Wrap(string text) => text.Length > 16 && text.Contains(' ', StringComparison.Ordinal)
        ? text[..text.LastIndexOf(' ', 16)] + "\n" + text[(text.LastIndexOf(' ', 16) + 1)..]
        : text;
}
