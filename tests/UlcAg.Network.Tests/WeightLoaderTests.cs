using UlcAg.Network.Weights;

namespace UlcAg.Network.Tests;

[TestClass]
public sealed class WeightLoaderTests
{
    private static readonly ParameterSpec[] Expected =
    [
        new("conv1.weight", [2, 1, 3, 3]),
        new("bn1.weight", [2]),
        new("bn1.num_batches_tracked", [], TensorKind.Int64),
        new("fc.weight", [7, 2]),
    ];

    [TestMethod]
    public void ReportsLoadedMissingAndUnexpectedKeys()
    {
        var source = new TensorMap();
        source.Add("extra.bias", new HostTensor([1], [0f]));
        source.Add("bn1.weight", new HostTensor([2], [1f, 2f]));
        source.Add("conv1.weight", new HostTensor([2, 1, 3, 3], new float[18]));
        source.Add("bn1.num_batches_tracked", new HostTensor([], [5f]));

        var report = WeightLoader.Apply(source, Expected, "ckpt.pth");

        CollectionAssert.AreEqual(new[] { "conv1.weight", "bn1.weight", "bn1.num_batches_tracked" }, report.Loaded.ToArray());
        CollectionAssert.AreEqual(new[] { "fc.weight" }, report.Missing.Select(m => m.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "extra.bias" }, report.Unexpected.ToArray());
        Assert.IsFalse(report.IsExact);
        Assert.AreEqual(TensorKind.Int64, report.Tensors["bn1.num_batches_tracked"].Kind);
        StringAssert.Contains(report.Summary(), "missing 1: fc.weight");
        StringAssert.Contains(report.Summary(), "unexpected 1: extra.bias");
        var error = Assert.ThrowsExactly<WeightsException>(() => report.EnsureComplete());
        StringAssert.Contains(error.Message, "fc.weight");
    }

    [TestMethod]
    public void ShapeMismatchNamesKeyAndBothShapes()
    {
        var source = new TensorMap();
        source.Add("conv1.weight", new HostTensor([2, 3, 3, 3], new float[54]));
        source.Add("fc.weight", new HostTensor([8, 2], new float[16]));

        var error = Assert.ThrowsExactly<WeightsException>(() => WeightLoader.Apply(source, Expected, "ckpt.pth"));

        StringAssert.Contains(error.Message, "ckpt.pth");
        StringAssert.Contains(error.Message, "'conv1.weight': found [2, 3, 3, 3], expected [2, 1, 3, 3]");
        StringAssert.Contains(error.Message, "'fc.weight': found [8, 2], expected [7, 2]");
    }

    [TestMethod]
    public void ExactMatchPassesStrictCheck()
    {
        var source = new TensorMap();
        foreach (var spec in Expected)
        {
            source.Add(spec.Name, new HostTensor(spec.Shape, new float[HostTensor.ElementCount(spec.Shape)], spec.Kind));
        }

        var report = WeightLoader.Apply(source, Expected, "exact");

        Assert.IsTrue(report.IsExact);
        report.EnsureComplete(allowUnexpected: false);
    }

    [TestMethod]
    public void FractionalValueForIntegerParameterIsRefused()
    {
        var source = new TensorMap();
        source.Add("bn1.num_batches_tracked", new HostTensor([], [0.5f]));

        var error = Assert.ThrowsExactly<WeightsException>(() => WeightLoader.Apply(source, Expected, "ckpt"));

        StringAssert.Contains(error.Message, "bn1.num_batches_tracked");
    }
}
