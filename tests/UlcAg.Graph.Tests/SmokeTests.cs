namespace UlcAg.Graph.Tests;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    public void OrtLoads() => Assert.IsFalse(string.IsNullOrEmpty(Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()));
}
