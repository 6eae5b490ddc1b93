using System.Globalization;
using System.Text.Json;

namespace UlcAg.Inference;

/// <summary>Writes the metadata_props of the export contract (<see cref="ModelMetadataKeys"/>), for exporters.</summary>
public static class ModelMetadata
{
    /// <summary>
    /// The metadata of an export: uint8 NHWC (<paramref name="pixelType"/> UInt8) or float32 NCHW
    /// (Float32), RGB, normalization applied inside the model.
    /// </summary>
    /// <param name="classes">Class names in output order.</param>
    /// <param name="inputSize">Side of the square face crop.</param>
    /// <param name="pixelType">UInt8 for <c>model.onnx</c>, Float32 for <c>model.float32.onnx</c>.</param>
    /// <param name="mean">Per-channel RGB mean on 0..1 pixels that the model subtracts.</param>
    /// <param name="std">Per-channel RGB standard deviation it divides by.</param>
    /// <param name="alignment">How training faces were cropped.</param>
    /// <param name="producer">Producer string; by default "UlcAg" and this assembly's version.</param>
    public static Dictionary<string, string> Create(
        IReadOnlyList<string> classes, int inputSize, PixelType pixelType, IReadOnlyList<float> mean, IReadOnlyList<float> std, FaceAlignmentSpec alignment, string? producer = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(alignment);
        var normalization = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["mean"] = mean,
            ["std"] = std,
            ["scale"] = "1/255",
            ["applied"] = "inside the model",
        });
        return new Dictionary<string, string>
        {
            [ModelMetadataKeys.Classes] = JsonSerializer.Serialize(classes),
            [ModelMetadataKeys.InputSize] = inputSize.ToString(CultureInfo.InvariantCulture),
            [ModelMetadataKeys.InputLayout] = pixelType == PixelType.UInt8 ? "NHWC" : "NCHW",
            [ModelMetadataKeys.InputType] = pixelType == PixelType.UInt8 ? "uint8" : "float32",
            [ModelMetadataKeys.ChannelOrder] = "RGB",
            [ModelMetadataKeys.Normalization] = normalization,
            [ModelMetadataKeys.FaceAlignment] = alignment.ToJson(),
            [ModelMetadataKeys.Producer] = producer ?? $"UlcAg {typeof(ModelMetadata).Assembly.GetName().Version?.ToString(3)}",
        };
    }
}
