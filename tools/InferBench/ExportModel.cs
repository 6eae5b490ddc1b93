using UlcAg.Graph;
using UlcAg.Inference;
using UlcAg.Network.Layers;
using UlcAg.Network.Models;

namespace InferBench;

/// <summary>
/// A ResNet-18 that follows the export contract: uint8 NHWC RGB in, normalization inside, softmax
/// probabilities over 7 classes and alpha = sigmoid(W_a f) (eq. 1) out, weights embedded
/// (torchvision's initialization; speed does not depend on the values), batch norm in inference mode.
/// </summary>
internal static class ExportModel
{
    public static readonly string[] Classes = ["Surprise", "Fear", "Disgust", "Happiness", "Sadness", "Anger", "Neutral"];

    public static void Write(string path, int size)
    {
        // The first pass only collects the weight names and shapes the second embeds.
        var specs = Build(new ModelContext(new GraphBuilder("specs"), GraphMode.Eval), size).Specs;
        var export = Build(new ModelContext(new GraphBuilder("ulcag_resnet18"), GraphMode.Export, Initializers.Default(specs, seed: 0)), size);
        var metadata = ModelMetadata.Create(Classes, size, PixelType.UInt8, Normalization.ImageNet.Mean, Normalization.ImageNet.Std, FaceAlignmentSpec.Default);
        export.G.ToModel(new OnnxExportOptions { Opset = 13, Metadata = metadata }).Save(path);
    }

    private static ModelContext Build(ModelContext m, int size)
    {
        var g = m.G;
        var x = ImageInput.Normalize(g, g.Input(ModelMetadataKeys.ImageInput, DType.UInt8, Shape.Dynamic, size, size, 3), Normalization.ImageNet);
        var f = ResNet18.ForwardFeatures(m, x);
        g.Output(g.Softmax(ResNet18.ForwardHead(m, f, Classes.Length)), ModelMetadataKeys.ProbabilitiesOutput);
        g.Output(g.Reshape(g.Sigmoid(m.Linear(f, "alpha", 1, "head")), -1), ModelMetadataKeys.AlphaOutput);
        return m;
    }
}
