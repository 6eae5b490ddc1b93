namespace UlcAg.Inference.Tests;

[TestClass]
public sealed class ModelLocatorTests
{
    private readonly TempDirectory _temp = new();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    [TestMethod]
    public void FindNewest_TakesTheMostRecentlyWrittenModelAnywhereBelowTheRoot()
    {
        var runs = Path.Combine(_temp.Path, "artifacts", "runs");
        var old = Touch(Path.Combine(runs, "b-run", "model.onnx"), new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var newest = Touch(Path.Combine(runs, "a-run", "nested", "model.onnx"), new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc));
        Touch(Path.Combine(runs, "c-run", "model.float32.onnx"), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Touch(Path.Combine(runs, "c-run", "eval.onnx"), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        Assert.AreEqual(newest, ModelLocator.FindNewest(runs));
        Assert.AreEqual(newest, ModelLocator.Resolve(null, _temp.Path));
        Assert.AreEqual(old, ModelLocator.Resolve(Path.Combine("artifacts", "runs", "b-run"), _temp.Path));
        Assert.AreEqual(old, ModelLocator.Resolve(old, "/"));

        File.SetLastWriteTimeUtc(old, new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.AreEqual(old, ModelLocator.FindNewest(runs));
    }

    [TestMethod]
    public void Resolve_WithNoTrainedModel_SaysHowToTrainOne()
    {
        Assert.IsNull(ModelLocator.FindNewest(Path.Combine(_temp.Path, "missing")));
        Directory.CreateDirectory(Path.Combine(_temp.Path, "artifacts", "runs", "empty-run"));
        var e = Assert.ThrowsExactly<ModelNotFoundException>(() => ModelLocator.Resolve(null, _temp.Path));
        StringAssert.Contains(e.Message, "dotnet ulcag-train");
        StringAssert.Contains(e.Message, Path.Combine(_temp.Path, "artifacts", "runs"));

        var missing = Assert.ThrowsExactly<ModelNotFoundException>(() => ModelLocator.Resolve("nope/model.onnx", _temp.Path));
        StringAssert.Contains(missing.Message, "nope/model.onnx");
        var emptyFolder = Assert.ThrowsExactly<ModelNotFoundException>(() => ModelLocator.Resolve("artifacts", _temp.Path));
        StringAssert.Contains(emptyFolder.Message, "holds no model.onnx");
    }

    private static string Touch(string path, DateTime writtenUtc)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1]);
        File.SetLastWriteTimeUtc(path, writtenUtc);
        return path;
    }
}
