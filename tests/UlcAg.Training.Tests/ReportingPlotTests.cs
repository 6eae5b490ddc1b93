using SkiaSharp;
using UlcAg.Training.Metrics;
using UlcAg.Training.Reporting;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class ReportingPlotTests
{
    private static readonly PlotSize Small = new(640, 400);

    [TestMethod]
    public void LossPlot() => CheckPng(p => Reporting.LossPlot.Render(ReportingSampleRun.Report(12).Epochs, p, Small), Small);

    [TestMethod]
    public void AccuracyPlot() => CheckPng(p => Reporting.AccuracyPlot.Render(ReportingSampleRun.Report(12).Epochs, p, Small), Small);

    [TestMethod]
    public void RelabelPlot() => CheckPng(p => Reporting.RelabelPlot.Render(ReportingSampleRun.Report(14).Epochs, p, Small), Small);

    [TestMethod]
    public void SchedulePlot() => CheckPng(p => Reporting.SchedulePlot.Render(ReportingSampleRun.Report(24).Epochs, p, Small), Small);

    [TestMethod]
    public void AlphaHistogramPlot()
    {
        var alpha = ReportingSampleRun.Report(3).Alpha!;
        CheckPng(p => Reporting.AlphaHistogramPlot.Render(alpha.Alpha, alpha.Noisy, alpha.Epoch, p, Small), Small);
    }

    [TestMethod]
    public void ConfusionMatrixPlot()
    {
        var size = new PlotSize(500, 450);
        var report = ReportingSampleRun.Report(2);
        CheckPng(p => Reporting.ConfusionMatrixPlot.Render(report.Test!, report.ClassNames, p, size: size), size);
    }

    [TestMethod]
    public void ConfusionCellsAreColoredByRowShare()
    {
        using var scratch = new ReportingScratch();
        var path = scratch.File("confusion.png");
        // Both rows predict only class A: the left column holds whole rows (dark), the right one nothing (white).
        var matrix = new ConfusionMatrix(new[,] { { 50, 0 }, { 3, 0 } });
        Reporting.ConfusionMatrixPlot.Render(matrix, ["A", "B"], path, size: new PlotSize(600, 600));
        using var bitmap = SKBitmap.Decode(path);
        // Points inside the cells, clear of the centered text.
        foreach (var y in new[] { 0.2, 0.75 })
        {
            var left = bitmap.GetPixel((int)(0.25 * 600), (int)(y * 600));
            var right = bitmap.GetPixel((int)(0.62 * 600), (int)(y * 600));
            Assert.IsLessThan(100, Luminance(left), $"left cell at y={y} is {left}; expected dark blue");
            Assert.IsGreaterThan(240, Luminance(right), $"right cell at y={y} is {right}; expected near white");
        }
    }

    [TestMethod]
    public void PlotsWithoutDataAreRefused()
    {
        using var scratch = new ReportingScratch();
        EpochMetrics[] bare = [new() { Epoch = 1 }];
        Assert.IsFalse(Reporting.RelabelPlot.HasData(bare));
        Assert.ThrowsExactly<ArgumentException>(() => Reporting.RelabelPlot.Render(bare, scratch.File("r.png")));
        Assert.ThrowsExactly<ArgumentException>(() => Reporting.LossPlot.Render(bare, scratch.File("l.png")));
        Assert.ThrowsExactly<ArgumentException>(() => Reporting.AccuracyPlot.Render(bare, scratch.File("a.png")));
        Assert.ThrowsExactly<ArgumentException>(() => Reporting.SchedulePlot.Render(bare, scratch.File("s.png")));
        Assert.ThrowsExactly<ArgumentException>(() => Reporting.AlphaHistogramPlot.Render([0.5f], [true, false], 1, scratch.File("h.png")));
        var e = Assert.ThrowsExactly<ArgumentException>(() => Reporting.ConfusionMatrixPlot.Render(new ConfusionMatrix(new int[2, 2]), ["A"], scratch.File("c.png")));
        StringAssert.Contains(e.Message, "1 class names for a 2-class");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Reporting.LossPlot.Render(ReportingSampleRun.Report(2).Epochs, scratch.File("x.png"), new PlotSize(10, 10)));
        Assert.IsEmpty(Directory.GetFiles(scratch.Path));
    }

    [TestMethod]
    public void DivergedLossIsLeftOutOfTheCurve()
    {
        var epochs = ReportingSampleRun.Report(4).Epochs.ToArray();
        epochs[2] = epochs[2] with { Losses = new Dictionary<string, double> { ["total"] = double.NaN } };
        CheckPng(p => Reporting.LossPlot.Render(epochs, p, Small), Small);
    }

    /// <summary>Renders through <paramref name="render"/> and checks the PNG: its size, no temp file left, and a real picture.</summary>
    private static void CheckPng(Action<string> render, PlotSize size)
    {
        using var scratch = new ReportingScratch();
        var path = Path.Combine(scratch.Path, "sub", "chart.png");
        render(path);
        render(path); // overwriting works too
        CollectionAssert.AreEqual(new[] { "chart.png" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).ToArray());
        var bytes = File.ReadAllBytes(path);
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);

        using var bitmap = SKBitmap.Decode(bytes);
        Assert.AreEqual(size.Width, bitmap.Width);
        Assert.AreEqual(size.Height, bitmap.Height);
        var histogram = new Dictionary<uint, int>();
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var color = (uint)bitmap.GetPixel(x, y);
                histogram[color] = histogram.GetValueOrDefault(color) + 1;
            }
        }
        var total = histogram.Values.Sum();
        // A chart: mostly background, but with many colors (lines, text anti-aliasing) and a fair share of ink.
        Assert.IsGreaterThan(50, histogram.Count, "too few colors for a chart");
        Assert.IsLessThan(0.97, (double)histogram.Values.Max() / total, "the image is nearly one color");
        Assert.IsGreaterThan(0.01, histogram.Where(kv => Luminance(new SKColor(kv.Key)) < 200).Sum(kv => kv.Value) / (double)total, "almost no ink");
    }

    private static double Luminance(SKColor c) => 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;
}
