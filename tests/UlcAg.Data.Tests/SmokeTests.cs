namespace UlcAg.Data.Tests;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    public void OpenCvLoads()
    {
        using var m = new OpenCvSharp.Mat(4, 4, OpenCvSharp.MatType.CV_8UC3);
        Assert.AreEqual(4, m.Rows);
    }
}
