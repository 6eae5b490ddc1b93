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

    public static ModelProto Build(NetworkOptions o, TensorMap weights, ExportSettings settings)
    {
        o.Validate();
        if (settings.ClassNames.Count != o.Classes)
            throw new ArgumentException($"{settings.ClassNames.Count} class names for a {o.Classes}-class model");
        var target = o with { Method = o.Method == Method.Baseline ? Method.Baseline : Method.TargetOnly };
        var g = new GraphBuilder("ulcag_inference");
        var m = new ModelContext(g, GraphMode.Export, weights);
        var x = settings.Float32Input
            ? ImageInput.FromFloatNchw(g, g.Input(N.ExportImage, DType.Float, Shape.Dynamic, 3, o.InputSize, o.InputSize), o.Normalization)
            : ImageInput.FromUInt8Nhwc(g, g.Input(N.ExportImage, DType.UInt8, Shape.Dynamic, o.InputSize, o.InputSize, 3), o.Normalization);
        var outs = UlcAgNetwork.Forward(m, x, null, target);
        g.Output(g.Softmax(outs.Logits, 1), N.Probabilities);
        g.Output(outs.Alpha ?? g.ReduceSum(outs.Logits * 0.0, [1]) + 1.0, N.Alpha);

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
            DocString = "UlcAg facial-expression classifier (target branch). Input: aligned face crops, raw 0-255 RGB pixels; normalization is inside the model.",
            Metadata = metadata,
        });
    }
}
