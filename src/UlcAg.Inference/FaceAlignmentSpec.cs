using System.Globalization;
using System.Text.Json;
using UlcAg.Data.Faces;

namespace UlcAg.Inference;

/// <summary>
/// How the training faces were cropped (metadata <see cref="ModelMetadataKeys.FaceAlignment"/>), so
/// inference crops the same way: the mode, the box margin and the alignment template's padding.
/// </summary>
/// <param name="Mode">Auto (landmarks when the detector gives them, else the box), box, or resize.</param>
/// <param name="Margin">Box crops: context on each side as a fraction of the box's longer side.</param>
/// <param name="TemplatePadding">Landmark alignment (5-point or eyes and mouth): extra context around the template face.</param>
public sealed record FaceAlignmentSpec(AlignMode Mode, float Margin, float TemplatePadding)
{
    /// <summary>The face pipeline's defaults (auto, margin 0.2, no padding), used when the metadata has no entry.</summary>
    public static FaceAlignmentSpec Default { get; } = new(AlignMode.Auto, 0.2f, 0f);

    /// <summary>Parses the metadata JSON; null or empty gives <see cref="Default"/>.</summary>
    /// <exception cref="ModelException">The JSON is malformed or a value is out of range; the message names the model.</exception>
    public static FaceAlignmentSpec Parse(string? json, string modelPath)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Default;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Bad(modelPath, json, "expected a JSON object");
            }

            var root = doc.RootElement;
            var mode = Default.Mode;
            if (root.TryGetProperty("mode", out var m))
            {
                mode = m.GetString()?.ToLowerInvariant() switch
                {
                    "auto" => AlignMode.Auto,
                    "box" => AlignMode.Box,
                    "resize" => AlignMode.Resize,
                    var other => throw Bad(modelPath, json, $"mode '{other}' is not one of auto, box, resize"),
                };
            }

            var margin = root.TryGetProperty("margin", out var g) ? g.GetSingle() : Default.Margin;
            var padding = root.TryGetProperty("template_padding", out var p) && p.ValueKind != JsonValueKind.Null ? p.GetSingle() : Default.TemplatePadding;
            if (!(margin >= 0) || !(padding >= 0))
            {
                throw Bad(modelPath, json, "margin and template_padding must be zero or positive");
            }

            return new FaceAlignmentSpec(mode, margin, padding);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw Bad(modelPath, json, e.Message);
        }
    }

    /// <summary>Face pipeline settings that reproduce the training crops at <paramref name="size"/> pixels.</summary>
    public FacePipelineOptions ToPipelineOptions(int size) => new()
    {
        Size = size,
        Mode = Mode,
        Margin = Margin,
        TemplatePadding = TemplatePadding,
    };

    /// <summary>The metadata JSON for this spec, as the export writes it.</summary>
    public string ToJson() => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"mode\":\"{Mode.ToString().ToLowerInvariant()}\",\"margin\":{Margin:R},\"template_padding\":{TemplatePadding:R}}}");

    private static ModelException Bad(string modelPath, string json, string reason) =>
        new($"Model '{modelPath}': metadata '{ModelMetadataKeys.FaceAlignment}' = {json} is invalid: {reason}. " +
            "Expected JSON like {\"mode\":\"auto\",\"margin\":0.2,\"template_padding\":0}.");
}
