namespace UlcAg.Inference;

/// <summary>
/// The metadata_props keys of an exported UlcAg model (<c>model.onnx</c>, <c>model.float32.onnx</c>):
/// the contract that lets any ONNX runtime use the model without UlcAg. docs/deploy.md describes each.
/// </summary>
public static class ModelMetadataKeys
{
    /// <summary>JSON array of class names in the order of the <c>probabilities</c> output.</summary>
    public const string Classes = "ulcag.classes";

    /// <summary>Side of the square face crop in pixels, e.g. "112".</summary>
    public const string InputSize = "ulcag.input_size";

    /// <summary>"NHWC" (uint8 export) or "NCHW" (float32 export).</summary>
    public const string InputLayout = "ulcag.input_layout";

    /// <summary>"uint8" or "float32"; either way the values are raw 0-255 pixels.</summary>
    public const string InputType = "ulcag.input_type";

    /// <summary>"RGB" (the exports) or "BGR".</summary>
    public const string ChannelOrder = "ulcag.channel_order";

    /// <summary>JSON {"mean": [...], "std": [...], "scale": "1/255", "applied": "inside the model"}; informational.</summary>
    public const string Normalization = "ulcag.normalization";

    /// <summary>JSON {"mode": "auto|box|resize", "margin": 0.2, "template_padding": 0}: how training faces were cropped.</summary>
    public const string FaceAlignment = "ulcag.face_alignment";

    /// <summary>"UlcAg 0.1.0".</summary>
    public const string Producer = "ulcag.producer";

    /// <summary>The graph input holding the image batch.</summary>
    public const string ImageInput = "image";

    /// <summary>The graph output holding softmax class probabilities [N, C].</summary>
    public const string ProbabilitiesOutput = "probabilities";

    /// <summary>The graph output holding the per-face confidence alpha [N] (eq. 1 of the paper).</summary>
    public const string AlphaOutput = "alpha";
}
