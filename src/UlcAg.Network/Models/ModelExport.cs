using System.Text.Json;
using Onnx;
using UlcAg.Graph;
using UlcAg.Network.Layers;
using UlcAg.Network.Weights;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Network.Models;

/// <summary>What the inference export records besides the weights.</summary>
/// <param name="ClassNames">Class names in output order.</param>
/// <param name="FaceAlignment">JSON describing how training faces were cropped (mode, margin, template).</param>
/// <param name="Float32Input">Take float32 [N,3,H,W] 0-255 RGB instead of uint8 [N,H,W,3], for runtimes without uint8 input.</param>
public sealed record ExportSettings(IReadOnlyList<string> ClassNames, string FaceAlignment = "{}", bool Float32Input = false);

/// <summary>
/// The inference export (model.onnx): the target branch only, weights embedded, batch norm in
/// inference mode, probabilities and alpha out, self-describing metadata, and the lowest opset
/// its ops need so that older runtimes and OpenCV's DNN module load it.
/// </summary>
public static class ModelExport
{
    /// <summary>Metadata keys of the export.</summary>
    public const string KeyClasses = "ulcag.classes", KeyInputSize = "ulcag.input_size", KeyLayout = "ulcag.input_layout",
        KeyInputType = "ulcag.input_type", KeyChannelOrder = "ulcag.channel_order", KeyNormalization = "ulcag.normalization",
        KeyFaceAlignment = "ulcag.face_alignment", KeyProducer = "ulcag.producer", KeyMethod = "ulcag.method";

    /// <summary>
    /// The inference model. <paramref name="describeValues"/> adds graph.value_info (element type and
    /// shape of every intermediate value) for tools that check the graph; it is off for the shipped
    /// model because OpenCV's ONNX importer takes value_info shapes literally, a dynamic batch as 0.
    /// </summary>
    public static ModelProto Build(NetworkOptions o, TensorMap weights, ExportSettings settings, bool describeValues = false)
    {
        o.Validate();
        if (settings.ClassNames.Count != o.Classes)
            throw new ArgumentException($"{settings.ClassNames.Count} class names for a {o.Classes}-class model");
        var target = o with { Method = o.Method == Method.Baseline ? Method.Baseline : Method.TargetOnly };
        var g = new GraphBuilder("ulcag_inference");
        // The channel order and the factors of the normalization ride on the stem's weights; the
        // graph only subtracts the mean before the first convolution (ImageInput.FoldIntoConv):
        //   image -> [Cast -> Transpose] -> x - mean -> Conv (W folded) -> ...
        var m = new ModelContext(g, GraphMode.Export, FoldNormalization(weights, o.Normalization));
        var rgb = settings.Float32Input
            ? g.Input(N.ExportImage, DType.Float, Shape.Dynamic, 3, o.InputSize, o.InputSize)
            : ImageInput.ToFloatNchw(g, g.Input(N.ExportImage, DType.UInt8, Shape.Dynamic, o.InputSize, o.InputSize, 3));
        var outs = UlcAgNetwork.Forward(m, ImageInput.SubtractMean(g, rgb, o.Normalization), null, target);
        g.Output(g.Softmax(outs.Logits, 1), N.Probabilities);
        g.Output(outs.Alpha ?? ConstantOne(g, outs.Features), N.Alpha);

        var version = typeof(ModelExport).Assembly.GetName().Version?.ToString(3) ?? "0";
        var metadata = new Dictionary<string, string>
        {
            [KeyClasses] = JsonSerializer.Serialize(settings.ClassNames),
            [KeyInputSize] = o.InputSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [KeyLayout] = settings.Float32Input ? "NCHW" : "NHWC",
            [KeyInputType] = settings.Float32Input ? "float32" : "uint8",
            [KeyChannelOrder] = "RGB",
            [KeyNormalization] = o.Normalization.ToJson(),
            [KeyFaceAlignment] = settings.FaceAlignment,
            [KeyProducer] = $"UlcAg {version}",
            [KeyMethod] = o.Method.Name(),
        };
        return g.ToModel(new OnnxExportOptions
        {
            Opset = OpsetRequirements.Minimum(g),
            ValueInfo = describeValues,
            DocString = "UlcAg facial-expression classifier (target branch). Input: aligned face crops, raw 0-255 RGB pixels; normalization is inside the model.",
            Metadata = metadata,
        });
    }

    /// <summary>The weights with the normalization's channel order and factors folded into the stem's convolution.</summary>
    private static TensorMap FoldNormalization(TensorMap weights, Normalization norm)
    {
        var stem = $"{ResNet18.StemConv}.weight";
        var folded = new TensorMap();
        foreach (var (name, t) in weights) folded.Add(name, name == stem ? ImageInput.FoldIntoConv(t, norm) : t);
        return folded;
    }

    /// <summary>
    /// alpha = 1 for methods without attention, [N] from the dynamic batch: a linear layer with zero
    /// weights and bias 1 on the features, the ops the attention path uses (a ReduceSum would need
    /// opset 13, whose axes input OpenCV 4.6 does not read).
    /// </summary>
    private static Value ConstantOne(GraphBuilder g, Value features)
    {
        var w = g.Constant(TensorData.Of(new float[features.Shape[1]], 1, features.Shape[1]));
        return g.Reshape(g.Linear(features, w, g.Constant(TensorData.Of([1f], 1))), -1);
    }
}
