using UlcAg.Data.Faces;
using UlcAg.Graph;

namespace UlcAg.Inference.Tests;

[TestClass]
public sealed class ModelContractTests
{
    private readonly TempDirectory _temp = new();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    [TestMethod]
    public void Load_ReadsEveryMetadataField()
    {
        var path = Path.Combine(_temp.Path, "model.onnx");
        ContractModels.WriteConvNet(path, size: 40, editMetadata: m =>
        {
            m[ModelMetadataKeys.FaceAlignment] = """{"mode":"box","margin":0.35,"template_padding":0.1}""";
            m[ModelMetadataKeys.Producer] = "UlcAg 0.1.0";
        });
        using var model = ExpressionModel.Load(path);
        var c = model.Contract;
        CollectionAssert.AreEqual(ContractModels.Expressions, c.Classes.ToArray());
        Assert.AreEqual(40, c.InputSize);
        Assert.AreEqual(TensorLayout.Nhwc, c.Layout);
        Assert.AreEqual(PixelType.UInt8, c.PixelType);
        Assert.AreEqual(ChannelOrder.Rgb, c.ChannelOrder);
        Assert.AreEqual(new FaceAlignmentSpec(AlignMode.Box, 0.35f, 0.1f), c.Alignment);
        Assert.AreEqual("UlcAg 0.1.0", c.Producer);
        StringAssert.Contains(c.Normalization, "inside the model");
        Assert.IsTrue(c.HasAlpha);
        Assert.IsNull(c.FixedBatch);
        Assert.AreEqual("[N, 40, 40, 3]", c.ExpectedInputShape());
        Assert.AreEqual(Path.GetFullPath(path), model.Path);
        Assert.AreEqual(ExpressionModel.DefaultMaxBatch, model.MaxBatch);

        var options = c.Alignment.ToPipelineOptions(c.InputSize);
        Assert.AreEqual(40, options.Size);
        Assert.AreEqual(AlignMode.Box, options.Mode);
        Assert.AreEqual(0.35f, options.Margin);
    }

    [TestMethod]
    public void Load_ModelWithoutUlcAgMetadata_SaysItIsNotAnExport()
    {
        var path = Path.Combine(_temp.Path, "plain.onnx");
        ContractModels.WriteConvNet(path, editMetadata: m => m.Clear());
        var e = Assert.ThrowsExactly<ModelException>(() => ExpressionModel.Load(path));
        StringAssert.Contains(e.Message, "is not a UlcAg export");
        StringAssert.Contains(e.Message, "ulcag.classes");
        StringAssert.Contains(e.Message, path);
    }

    [TestMethod]
    [DataRow(ModelMetadataKeys.InputSize, "112", "input 'image' has shape [N, 64, 64, 3]")]
    [DataRow(ModelMetadataKeys.InputLayout, "NCHW", "promises [N, 3, 64, 64]")]
    [DataRow(ModelMetadataKeys.InputType, "float32", "holds UInt8")]
    [DataRow(ModelMetadataKeys.Classes, """["a","b"]""", "expected float [N, 2]")]
    [DataRow(ModelMetadataKeys.Classes, """["a","a","b","c","d","e","f"]""", "distinct")]
    [DataRow(ModelMetadataKeys.Classes, "Neutral,Happy", "JSON array")]
    [DataRow(ModelMetadataKeys.InputSize, "large", "positive whole number")]
    [DataRow(ModelMetadataKeys.InputLayout, "HWC", "NHWC or NCHW")]
    [DataRow(ModelMetadataKeys.ChannelOrder, "YUV", "RGB or BGR")]
    [DataRow(ModelMetadataKeys.FaceAlignment, """{"mode":"warp"}""", "not one of auto, box, resize")]
    [DataRow(ModelMetadataKeys.FaceAlignment, """{"margin":-1}""", "zero or positive")]
    public void Load_MetadataThatDisagreesWithTheGraph_NamesTheFieldAndTheExpectation(string key, string value, string expected)
    {
        var path = Path.Combine(_temp.Path, "model.onnx");
        ContractModels.WriteConvNet(path, size: 64, editMetadata: m => m[key] = value);
        var e = Assert.ThrowsExactly<ModelException>(() => ExpressionModel.Load(path));
        StringAssert.Contains(e.Message, expected);
        StringAssert.Contains(e.Message, path);
    }

    [TestMethod]
    public void Load_MissingRequiredKey_NamesIt()
    {
        var path = Path.Combine(_temp.Path, "model.onnx");
        ContractModels.WriteConvNet(path, editMetadata: m => m.Remove(ModelMetadataKeys.InputLayout));
        var e = Assert.ThrowsExactly<ModelException>(() => ExpressionModel.Load(path));
        StringAssert.Contains(e.Message, "'ulcag.input_layout' is missing");
    }

    [TestMethod]
    public void Load_WrongInputOrOutputNames_AreRejected()
    {
        var renamed = Path.Combine(_temp.Path, "renamed.onnx");
        var g = new GraphBuilder();
        var x = g.Input("pixels", DType.UInt8, Shape.Dynamic, 8, 8, 3);
        g.Output(g.Softmax(g.Flatten(g.GlobalAveragePool(g.Transpose(g.Cast(x, DType.Float), 0, 3, 1, 2)))), ModelMetadataKeys.ProbabilitiesOutput);
        g.ToModel(new OnnxExportOptions { Opset = 13, Metadata = ContractModels.Metadata(["r", "g", "b"], 8, PixelType.UInt8) }).Save(renamed);
        StringAssert.Contains(Assert.ThrowsExactly<ModelException>(() => ExpressionModel.Load(renamed)).Message, "has no input named 'image' (inputs: pixels)");

        var noProbabilities = Path.Combine(_temp.Path, "logits.onnx");
        g = new GraphBuilder();
        x = g.Input(ModelMetadataKeys.ImageInput, DType.UInt8, Shape.Dynamic, 8, 8, 3);
        g.Output(g.Flatten(g.GlobalAveragePool(g.Transpose(g.Cast(x, DType.Float), 0, 3, 1, 2))), "logits");
        g.ToModel(new OnnxExportOptions { Opset = 13, Metadata = ContractModels.Metadata(["r", "g", "b"], 8, PixelType.UInt8) }).Save(noProbabilities);
        StringAssert.Contains(Assert.ThrowsExactly<ModelException>(() => ExpressionModel.Load(noProbabilities)).Message, "no output named 'probabilities' (outputs: logits)");
    }

    [TestMethod]
    public void Load_AModelWithoutAlpha_PredictsWithNullAlpha()
    {
        var path = Path.Combine(_temp.Path, "noalpha.onnx");
        var g = new GraphBuilder();
        var x = g.Input(ModelMetadataKeys.ImageInput, DType.UInt8, Shape.Dynamic, 8, 8, 3);
        g.Output(g.Softmax(g.Flatten(g.GlobalAveragePool(g.Transpose(g.Cast(x, DType.Float), 0, 3, 1, 2)))), ModelMetadataKeys.ProbabilitiesOutput);
        g.ToModel(new OnnxExportOptions { Opset = 13, Metadata = ContractModels.Metadata(["r", "g", "b"], 8, PixelType.UInt8) }).Save(path);
        using var model = ExpressionModel.Load(path);
        Assert.IsFalse(model.Contract.HasAlpha);
        using var crop = FaceTestImages.RandomBgr(8, 8, seed: 3);
        Assert.IsNull(model.Predict([crop])[0].Alpha);
    }

    [TestMethod]
    public void Load_NotAModelOrMissing_SaysSo()
    {
        var text = Path.Combine(_temp.Path, "model.onnx");
        File.WriteAllText(text, "this is not a protobuf model");
        var e = Assert.ThrowsExactly<ModelException>(() => ExpressionModel.Load(text));
        StringAssert.Contains(e.Message, "cannot be loaded by ONNX Runtime");
        StringAssert.Contains(e.Message, text);

        var missing = Assert.ThrowsExactly<ModelException>(() => ExpressionModel.Load(Path.Combine(_temp.Path, "none.onnx")));
        StringAssert.Contains(missing.Message, "does not exist");
        var folder = Assert.ThrowsExactly<ModelException>(() => ExpressionModel.Load(_temp.Path));
        StringAssert.Contains(folder.Message, "is a folder");
    }
}
