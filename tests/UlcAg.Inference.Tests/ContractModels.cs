using UlcAg.Graph;
using UlcAg.Inference;
using UlcAg.Network.Layers;
using UlcAg.Network.Models;

namespace UlcAg.Inference.Tests;

/// <summary>
/// Small models that follow the export contract exactly (input <c>image</c> uint8 NHWC or float32
/// NCHW with raw 0-255 RGB, normalization inside, outputs <c>probabilities</c> and <c>alpha</c>,
/// the ulcag.* metadata), built with UlcAg's own graph builder.
/// </summary>
internal static class ContractModels
{
    public static readonly string[] Expressions = ["Surprise", "Fear", "Disgust", "Happiness", "Sadness", "Anger", "Neutral"];
    public static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    public static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    /// <summary>
    /// conv 3x3/2 (3 to 8) - relu - conv 3x3/2 (8 to 8) - relu - global average pool - fc to 7
    /// classes - softmax, and alpha = sigmoid(fc to 1), with seeded random weights.
    /// </summary>
    public static void WriteConvNet(
        string path, int size = 64, PixelType type = PixelType.UInt8, int seed = 1, Action<Dictionary<string, string>>? editMetadata = null, long batch = Shape.Dynamic)
    {
        var rng = new Random(seed);
        var g = new GraphBuilder("contract_convnet");
        var x = NormalizedInput(g, size, type, batch);
        x = g.Relu(g.Conv(x, Weights(g, rng, "conv1.weight", [8, 3, 3, 3]), Weights(g, rng, "conv1.bias", [8]), stride: 2, pad: 1));
        x = g.Relu(g.Conv(x, Weights(g, rng, "conv2.weight", [8, 8, 3, 3]), Weights(g, rng, "conv2.bias", [8]), stride: 2, pad: 1));
        var f = g.Flatten(g.GlobalAveragePool(x));
        // Large enough weights that the classes get clearly different probabilities.
        var logits = g.Linear(f, Weights(g, rng, "fc.weight", [Expressions.Length, 8], scale: 4), Weights(g, rng, "fc.bias", [Expressions.Length]));
        var alpha = g.Sigmoid(g.Linear(f, Weights(g, rng, "alpha.weight", [1, 8], scale: 4), Weights(g, rng, "alpha.bias", [1])));
        Save(g, g.Softmax(logits), g.Reshape(alpha, -1), path, Metadata(Expressions, size, type), editMetadata);
    }

    /// <summary>
    /// Probabilities = softmax(<paramref name="gain"/> x the normalized mean of the R, G and B planes)
    /// over classes Red, Green, Blue; alpha = sigmoid(mean of the three). A crop of one colour is
    /// classified as that colour, so a swapped channel order or layout shows.
    /// </summary>
    public static void WriteChannelMeans(string path, int size = 32, PixelType type = PixelType.UInt8, float gain = 2f)
    {
        var g = new GraphBuilder("contract_channel_means");
        var x = NormalizedInput(g, size, type, Shape.Dynamic);
        var means = g.Flatten(g.GlobalAveragePool(x));
        var probabilities = g.Softmax(means * gain);
        var alpha = g.Sigmoid(g.ReduceMean(means, [1]));
        Save(g, probabilities, alpha, path, Metadata(["Red", "Green", "Blue"], size, type), null);
    }

    /// <summary>
    /// ResNet-18 in torchvision's topology (UlcAg.Network) with the export head: softmax over 7
    /// classes and alpha = sigmoid(W_a f) (eq. 1); torchvision-initialized weights embedded and
    /// batch norm in inference mode, as the trainer exports it.
    /// </summary>
    public static void WriteResNet18(string path, int size, PixelType type = PixelType.UInt8, int seed = 0)
    {
        // The first pass only collects the weight names and shapes the second embeds.
        var specs = ResNet18Graph(new ModelContext(new GraphBuilder("specs"), GraphMode.Eval), size, type).Specs;
        var export = ResNet18Graph(new ModelContext(new GraphBuilder("ulcag_resnet18"), GraphMode.Export, Initializers.Default(specs, seed)), size, type);
        export.G.ToModel(new OnnxExportOptions { Opset = 13, Metadata = Metadata(Expressions, size, type) }).Save(path);
    }

    public static Dictionary<string, string> Metadata(IReadOnlyList<string> classes, int size, PixelType type) =>
        ModelMetadata.Create(classes, size, type, Mean, Std, FaceAlignmentSpec.Default);

    private static ModelContext ResNet18Graph(ModelContext m, int size, PixelType type)
    {
        var g = m.G;
        var f = ResNet18.ForwardFeatures(m, NormalizedInput(g, size, type, Shape.Dynamic));
        g.Output(g.Softmax(ResNet18.ForwardHead(m, f, Expressions.Length)), ModelMetadataKeys.ProbabilitiesOutput);
        g.Output(g.Reshape(g.Sigmoid(m.Linear(f, "alpha", 1, "head")), -1), ModelMetadataKeys.AlphaOutput);
        return m;
    }

    /// <summary>The contract's input, cast to float NCHW and normalized as (x / 255 - mean) / std.</summary>
    private static Value NormalizedInput(GraphBuilder g, int size, PixelType type, long batch)
    {
        var x = type == PixelType.UInt8
            ? g.Transpose(g.Cast(g.Input(ModelMetadataKeys.ImageInput, DType.UInt8, batch, size, size, 3), DType.Float), 0, 3, 1, 2)
            : g.Input(ModelMetadataKeys.ImageInput, DType.Float, batch, 3, size, size);
        var scale = Std.Select(s => 1f / (255f * s)).ToArray();
        var shift = Mean.Select((m, i) => -m / Std[i]).ToArray();
        return (x * g.Constant(TensorData.Of(scale, 1, 3, 1, 1))) + g.Constant(TensorData.Of(shift, 1, 3, 1, 1));
    }

    private static Value Weights(GraphBuilder g, Random rng, string name, long[] shape, float scale = 1f)
    {
        var n = shape.Aggregate(1L, (a, b) => a * b);
        var fanIn = shape.Length > 1 ? shape.Skip(1).Aggregate(1L, (a, b) => a * b) : 1;
        var data = new float[n];
        for (var i = 0; i < n; i++)
        {
            data[i] = (float)((rng.NextDouble() * 2) - 1) * scale / MathF.Sqrt(fanIn);
        }

        return g.Initializer(name, TensorData.Of(data, shape));
    }

    private static void Save(GraphBuilder g, Value probabilities, Value alpha, string path, Dictionary<string, string> metadata, Action<Dictionary<string, string>>? edit)
    {
        g.Output(probabilities, ModelMetadataKeys.ProbabilitiesOutput);
        g.Output(alpha, ModelMetadataKeys.AlphaOutput);
        edit?.Invoke(metadata);
        g.ToModel(new OnnxExportOptions { Opset = 13, Metadata = metadata }).Save(path);
    }
}
