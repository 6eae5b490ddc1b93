using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace UlcAg.Inference;

/// <summary>
/// What an exported model promises, read from its metadata_props (<see cref="ModelMetadataKeys"/>)
/// and checked against its graph: input <c>image</c> of <see cref="PixelType"/> in
/// <see cref="Layout"/> with H = W = <see cref="InputSize"/>, output <c>probabilities</c> [N, C] over
/// <see cref="Classes"/>, and optionally <c>alpha</c> [N].
/// </summary>
public sealed record ModelContract
{
    /// <summary>Class names in the order of the probabilities output.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>Side of the square face crop.</summary>
    public required int InputSize { get; init; }

    /// <summary>Layout of the image input.</summary>
    public required TensorLayout Layout { get; init; }

    /// <summary>Element type of the image input (raw 0-255 values either way).</summary>
    public required PixelType PixelType { get; init; }

    /// <summary>Channel order of the image input.</summary>
    public required ChannelOrder ChannelOrder { get; init; }

    /// <summary>How faces are cropped for this model.</summary>
    public required FaceAlignmentSpec Alignment { get; init; }

    /// <summary>The normalization JSON (applied inside the model; informational), or null.</summary>
    public string? Normalization { get; init; }

    /// <summary>The producer string, e.g. "UlcAg 0.1.0", or null.</summary>
    public string? Producer { get; init; }

    /// <summary>True when the model has the <c>alpha</c> output.</summary>
    public required bool HasAlpha { get; init; }

    /// <summary>The batch size when the graph fixes it; null when it is dynamic (the exports).</summary>
    public int? FixedBatch { get; init; }

    /// <summary>
    /// Reads and checks the contract of a loaded model.
    /// </summary>
    /// <exception cref="ModelException">Metadata is missing or malformed, or the graph does not match it.</exception>
    public static ModelContract Read(InferenceSession session, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(session);
        var meta = session.ModelMetadata.CustomMetadataMap;
        if (!meta.TryGetValue(ModelMetadataKeys.Classes, out var classesJson))
        {
            var keys = meta.Count == 0 ? "none" : string.Join(", ", meta.Keys.Order(StringComparer.Ordinal));
            throw new ModelException(
                $"Model '{modelPath}' is not a UlcAg export: its metadata lacks '{ModelMetadataKeys.Classes}' (metadata keys found: {keys}). " +
                "Use the model.onnx that `dotnet ulcag-train` writes into its run folder.");
        }

        var classes = ParseClasses(classesJson, modelPath);
        var size = ParseInt(Required(meta, ModelMetadataKeys.InputSize, modelPath), ModelMetadataKeys.InputSize, modelPath);
        var layout = Required(meta, ModelMetadataKeys.InputLayout, modelPath).ToUpperInvariant() switch
        {
            "NHWC" => TensorLayout.Nhwc,
            "NCHW" => TensorLayout.Nchw,
            var other => throw Invalid(modelPath, ModelMetadataKeys.InputLayout, other, "NHWC or NCHW"),
        };
        var pixelType = Required(meta, ModelMetadataKeys.InputType, modelPath).ToLowerInvariant() switch
        {
            "uint8" => PixelType.UInt8,
            "float32" or "float" => PixelType.Float32,
            var other => throw Invalid(modelPath, ModelMetadataKeys.InputType, other, "uint8 or float32"),
        };
        var order = (meta.GetValueOrDefault(ModelMetadataKeys.ChannelOrder) ?? "RGB").ToUpperInvariant() switch
        {
            "RGB" => ChannelOrder.Rgb,
            "BGR" => ChannelOrder.Bgr,
            var other => throw Invalid(modelPath, ModelMetadataKeys.ChannelOrder, other, "RGB or BGR"),
        };

        var fixedBatch = CheckInput(session, modelPath, size, layout, pixelType);
        var hasAlpha = CheckOutputs(session, modelPath, classes.Count);
        return new ModelContract
        {
            Classes = classes,
            InputSize = size,
            Layout = layout,
            PixelType = pixelType,
            ChannelOrder = order,
            Alignment = FaceAlignmentSpec.Parse(meta.GetValueOrDefault(ModelMetadataKeys.FaceAlignment), modelPath),
            Normalization = meta.GetValueOrDefault(ModelMetadataKeys.Normalization),
            Producer = meta.GetValueOrDefault(ModelMetadataKeys.Producer),
            HasAlpha = hasAlpha,
            FixedBatch = fixedBatch,
        };
    }

    /// <summary>The input shape the contract promises, with N for the batch, e.g. [N, 112, 112, 3].</summary>
    public string ExpectedInputShape() => ShapeText(Layout, InputSize);

    private static string ShapeText(TensorLayout layout, int size) => layout == TensorLayout.Nhwc ? $"[N, {size}, {size}, 3]" : $"[N, 3, {size}, {size}]";

    private static int? CheckInput(InferenceSession session, string modelPath, int size, TensorLayout layout, PixelType pixelType)
    {
        const string name = ModelMetadataKeys.ImageInput;
        if (!session.InputMetadata.TryGetValue(name, out var input))
        {
            throw new ModelException(
                $"Model '{modelPath}' has no input named '{name}' (inputs: {string.Join(", ", session.InputMetadata.Keys)}); a UlcAg export has exactly one, '{name}'.");
        }

        if (session.InputMetadata.Count != 1)
        {
            throw new ModelException($"Model '{modelPath}' has {session.InputMetadata.Count} inputs ({string.Join(", ", session.InputMetadata.Keys)}); a UlcAg export has only '{name}'.");
        }

        var expectedType = pixelType == PixelType.UInt8 ? TensorElementType.UInt8 : TensorElementType.Float;
        if (!input.IsTensor || input.ElementDataType != expectedType)
        {
            throw new ModelException(
                $"Model '{modelPath}': input '{name}' holds {input.ElementDataType}, but metadata '{ModelMetadataKeys.InputType}' says {pixelType.ToString().ToLowerInvariant()}.");
        }

        var dims = input.Dimensions;
        int[] expected = layout == TensorLayout.Nhwc ? [-1, size, size, 3] : [-1, 3, size, size];
        var fits = dims.Length == 4;
        for (var i = 1; fits && i < 4; i++)
        {
            // A symbolic spatial dim is accepted; the metadata then fixes it.
            fits = dims[i] == expected[i] || (dims[i] < 0 && expected[i] == size);
        }

        if (!fits || dims[0] == 0)
        {
            throw new ModelException(
                $"Model '{modelPath}': input '{name}' has shape {FormatDims(dims)}, but its metadata ({ModelMetadataKeys.InputLayout} " +
                $"{layout.ToString().ToUpperInvariant()}, {ModelMetadataKeys.InputSize} {size}) promises {ShapeText(layout, size)}.");
        }

        return dims[0] > 0 ? dims[0] : null;
    }

    private static bool CheckOutputs(InferenceSession session, string modelPath, int classCount)
    {
        if (!session.OutputMetadata.TryGetValue(ModelMetadataKeys.ProbabilitiesOutput, out var probabilities))
        {
            throw new ModelException(
                $"Model '{modelPath}' has no output named '{ModelMetadataKeys.ProbabilitiesOutput}' (outputs: {string.Join(", ", session.OutputMetadata.Keys)}).");
        }

        var dims = probabilities.Dimensions;
        if (probabilities.ElementDataType != TensorElementType.Float || dims.Length != 2 || (dims[1] > 0 && dims[1] != classCount))
        {
            throw new ModelException(
                $"Model '{modelPath}': output '{ModelMetadataKeys.ProbabilitiesOutput}' is {probabilities.ElementDataType} {FormatDims(dims)}; " +
                $"expected float [N, {classCount}] for the {classCount} classes in '{ModelMetadataKeys.Classes}'.");
        }

        if (!session.OutputMetadata.TryGetValue(ModelMetadataKeys.AlphaOutput, out var alpha))
        {
            return false;
        }

        if (alpha.ElementDataType != TensorElementType.Float || alpha.Dimensions.Length != 1)
        {
            throw new ModelException(
                $"Model '{modelPath}': output '{ModelMetadataKeys.AlphaOutput}' is {alpha.ElementDataType} {FormatDims(alpha.Dimensions)}; expected float [N].");
        }

        return true;
    }

    private static List<string> ParseClasses(string json, string modelPath)
    {
        List<string>? classes = null;
        try
        {
            classes = JsonSerializer.Deserialize<List<string>>(json);
        }
        catch (JsonException)
        {
            // Reported below with the expected form.
        }

        if (classes is null || classes.Count == 0 || classes.Any(string.IsNullOrWhiteSpace) || classes.Distinct(StringComparer.Ordinal).Count() != classes.Count)
        {
            throw Invalid(modelPath, ModelMetadataKeys.Classes, json, "a JSON array of distinct, non-empty class names, e.g. [\"Neutral\",\"Happiness\"]");
        }

        return classes;
    }

    private static string Required(Dictionary<string, string> meta, string key, string modelPath) =>
        meta.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v)
            ? v.Trim()
            : throw new ModelException($"Model '{modelPath}': metadata '{key}' is missing; a UlcAg export always has it.");

    private static int ParseInt(string text, string key, string modelPath) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw Invalid(modelPath, key, text, "a positive whole number of pixels, e.g. 112");

    private static ModelException Invalid(string modelPath, string key, string value, string expected) =>
        new($"Model '{modelPath}': metadata '{key}' = '{value}' is invalid; expected {expected}.");

    private static string FormatDims(int[] dims) => "[" + string.Join(", ", dims.Select(d => d < 0 ? "N" : d.ToString(CultureInfo.InvariantCulture))) + "]";
}
