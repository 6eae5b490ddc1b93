namespace UlcAg.Training.Tests;

[TestClass]
public sealed class ProjectLoads
{
    [TestMethod]
    public void ScottPlotRendersAPng()
    {
        var plot = new ScottPlot.Plot();
        plot.Add.Scatter(new double[] { 0, 1, 2 }, new double[] { 1, 0, 2 });
        var bytes = plot.GetImageBytes(200, 100, ScottPlot.ImageFormat.Png);
        CollectionAssert.AreEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes.Take(4).ToArray());
    }
}
