using Onnx;
using UlcAg.Network.Weights;
using UlcAg.Network.Weights.Onnx;

namespace UlcAg.Network.Tests;

[TestClass]
public sealed class ResNetOnnxImporterTests
{
    private static ImportedBackbone s_backbone = null!;

    [ClassInitialize]
    public static void LoadPackagedModel(TestContext context) => s_backbone = PackagedResNet18.LoadBackbone();

    [TestMethod]
    public void PackagedModelIsCopiedIntoTheOutputOfReferencingProjects()
    {
        Assert.IsTrue(File.Exists(PackagedResNet18.ModelPath), PackagedResNet18.ModelPath);
        Assert.IsTrue(File.Exists(PackagedResNet18.PreprocessPath), PackagedResNet18.PreprocessPath);
        StringAssert.StartsWith(PackagedResNet18.ModelPath, AppContext.BaseDirectory);
        Assert.AreEqual(63_653_533L, new FileInfo(PackagedResNet18.ModelPath).Length);
    }

    [TestMethod]
    public void MapsEveryTorchvisionResNet18TensorWithItsShape()
    {
        var expected = ResNetLayout.Backbone();
        var weights = s_backbone.ResNet18Weights();

        Assert.HasCount(100, expected);
        CollectionAssert.AreEqual(expected.Select(s => s.Name).ToArray(), weights.Names.ToArray());
        foreach (var spec in expected)
        {
            CollectionAssert.AreEqual(spec.Shape, weights[spec.Name].Shape, spec.Name);
        }

        var report = WeightLoader.Apply(weights, expected, "packaged ResNet-18");
        Assert.IsTrue(report.IsExact, report.Summary());
        Assert.AreEqual("Input247", s_backbone.InputName);
        Assert.AreEqual("Pooling395_Output_0", s_backbone.FeatureName);
        StringAssert.StartsWith(s_backbone.Producer, "CNTK");
    }

    [TestMethod]
    public void FindsTheThirdBlockOfTheLastStageThatTorchvisionLacks()
    {
        // CNTK's ResNet-18 stacks 2, 1+1, 1+1, 1+2 basic blocks: layer4 has three.
        CollectionAssert.AreEqual(new[] { 2, 2, 2, 3 }, s_backbone.BlocksPerStage.ToArray());
        Assert.AreEqual(110, s_backbone.Weights.Count);
        var extra = s_backbone.TensorsBeyondResNet18();
        Assert.HasCount(10, extra);
        Assert.IsTrue(extra.All(n => n.StartsWith("layer4.2.", StringComparison.Ordinal)), string.Join(", ", extra));

        var report = WeightLoader.Apply(s_backbone.Weights, ResNetLayout.Backbone(), "packaged ResNet-18");
        Assert.IsEmpty(report.Missing);
        CollectionAssert.AreEqual(extra.ToArray(), report.Unexpected.ToArray());
    }

    [TestMethod]
    public void BatchNormStatisticsAreSensibleAndEpsilonIsTorchvisions()
    {
        Assert.HasCount(22, s_backbone.BatchNorms);
        foreach (var bn in s_backbone.BatchNorms)
        {
            Assert.AreEqual(1e-5f, bn.Epsilon, 1e-9f, bn.Name);
            Assert.AreEqual(1, bn.Spatial, bn.Name);
            var variance = s_backbone.Weights[$"{bn.Name}.running_var"].Data;
            Assert.IsTrue(variance.All(v => v > 0 && float.IsFinite(v)), $"{bn.Name}.running_var must be positive");
            var scale = s_backbone.Weights[$"{bn.Name}.weight"].Data;
            Assert.IsTrue(scale.Any(v => v != 1f), $"{bn.Name}.weight is trained, not the default");
        }

        // The stem sees 0-255 inputs, so its running variance is far larger than the others'.
        Assert.IsGreaterThan(100f, s_backbone.Weights["bn1.running_var"].Data.Average());
    }

    [TestMethod]
    public void RecordsCntkPaddingAndStrides()
    {
        Assert.HasCount(22, s_backbone.Convolutions);
        var conv1 = s_backbone.Convolutions.Single(c => c.Name == "conv1");
        CollectionAssert.AreEqual(new long[] { 3, 3, 2, 2 }, conv1.Pads);
        foreach (var name in new[] { "layer2.0.conv1", "layer3.0.conv1", "layer4.0.conv1" })
        {
            var conv = s_backbone.Convolutions.Single(c => c.Name == name);
            CollectionAssert.AreEqual(new long[] { 1, 1, 0, 0 }, conv.Pads, name);
            CollectionAssert.AreEqual(new long[] { 2, 2 }, conv.Strides, name);
        }

        var downsample = s_backbone.Convolutions.Single(c => c.Name == "layer3.0.downsample.0");
        CollectionAssert.AreEqual(new long[] { 1, 1 }, downsample.Kernel);
        CollectionAssert.AreEqual(new long[] { 0, 0, 0, 0 }, downsample.Pads);
    }

    [TestMethod]
    public void MainPathAndShortcutAreToldApartByStructure()
    {
        // layer1.0's two 3x3 convolutions have equal shapes: the walk must order them by data flow.
        var model = LoadModel();
        var first = model.Graph.Node.First(n => n.OpType == "Conv" && n.Input[0] == "Pooling255_Output_0");
        Assert.AreEqual(first.Name, s_backbone.Convolutions.Single(c => c.Name == "layer1.0.conv1").Node);
        var weight = model.Graph.Initializer.Single(t => t.Name == first.Input[1]);
        CollectionAssert.AreEqual(weight.FloatData.ToArray(), s_backbone.Weights["layer1.0.conv1.weight"].Data);
    }

    [TestMethod]
    public void BrokenStructureIsReportedNamingTheValue()
    {
        var model = LoadModel();
        var relu = model.Graph.Node.First(n => n.OpType == "Relu" && n.Input[0].StartsWith("BatchNormalization319", StringComparison.Ordinal));
        relu.OpType = "Sigmoid";

        var error = Assert.ThrowsExactly<WeightsException>(() => ResNetOnnxImporter.Import(model, "edited model"));

        StringAssert.Contains(error.Message, "edited model");
        StringAssert.Contains(error.Message, "layer3.0");
    }

    [TestMethod]
    public void UnexpectedPaddingIsRejected()
    {
        var model = LoadModel();
        var conv = model.Graph.Node.First(n => n.OpType == "Conv");
        var pads = conv.Attribute.Single(a => a.Name == "pads");
        pads.Ints.Clear();
        pads.Ints.Add([2, 2, 2, 2]);

        var error = Assert.ThrowsExactly<WeightsException>(() => ResNetOnnxImporter.Import(model, "padded model"));

        StringAssert.Contains(error.Message, "conv1");
        StringAssert.Contains(error.Message, "[2, 2, 2, 2]");
    }

    [TestMethod]
    public void PreprocessingIsRgbToBgrMinusAMeanImage()
    {
        var convention = PackagedResNet18.LoadInputConvention();

        Assert.AreEqual("BGR", convention.ChannelOrder);
        Assert.AreEqual("RGB", convention.SourceOrder);
        CollectionAssert.AreEqual(new long[] { 3, 224, 224 }, convention.MeanImage.Shape);
        var means = convention.ChannelMeans();
        Assert.AreEqual(103.063f, means[0], 0.01f);
        Assert.AreEqual(115.903f, means[1], 0.01f);
        Assert.AreEqual(123.152f, means[2], 0.01f);

        var plane = 224 * 224;
        var rgb = new float[3 * plane];
        rgb[0] = 200f;
        rgb[(2 * plane) + 5] = 50f;
        var input = new float[3 * plane];
        convention.Apply(rgb, input);
        Assert.AreEqual(200f - convention.MeanImage.Data[(2 * plane) + 0], input[(2 * plane) + 0], "R goes to the last channel");
        Assert.AreEqual(50f - convention.MeanImage.Data[5], input[5], "B goes to the first channel");
        StringAssert.Contains(convention.Describe(), "channels BGR");
    }

    [TestMethod]
    public void MissingModelFileIsNamed()
    {
        var error = Assert.ThrowsExactly<WeightsException>(() => ResNetOnnxImporter.Import("/nonexistent/ResNet18.onnx"));

        StringAssert.Contains(error.Message, "/nonexistent/ResNet18.onnx");
    }

    private static ModelProto LoadModel()
    {
        using var stream = File.OpenRead(PackagedResNet18.ModelPath);
        return ModelProto.Parser.ParseFrom(stream);
    }
}
