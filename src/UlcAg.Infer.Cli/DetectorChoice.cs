using UlcAg.Cli;
using UlcAg.Data.Faces;

namespace UlcAg.Infer.Cli;

/// <summary>The <c>--detector</c> argument: blazeface, blazeface:MODEL.onnx, haar, haar:CASCADE.xml or yunet:MODEL.onnx.</summary>
internal static class DetectorChoice
{
    /// <summary>What the help and the error messages list.</summary>
    public const string Choices = "blazeface (default), blazeface:MODEL.onnx, haar, haar:CASCADE.xml or yunet:MODEL.onnx";

    /// <summary>Parses the argument into a detector description.</summary>
    /// <exception cref="UsageException">The text names no known detector, or yunet lacks its model path.</exception>
    public static FaceDetectorSpec Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        var path = colon < 0 ? null : text[(colon + 1)..].Trim();
        return kind switch
        {
            "blazeface" => FaceDetectorSpec.BlazeFace(string.IsNullOrEmpty(path) ? null : path),
            "haar" => FaceDetectorSpec.Haar(string.IsNullOrEmpty(path) ? null : path),
            "yunet" when !string.IsNullOrEmpty(path) => FaceDetectorSpec.YuNet(path),
            "yunet" => throw new UsageException("--detector yunet needs the model file: --detector yunet:PATH/face_detection_yunet_2023mar.onnx"),
            _ => throw new UsageException($"--detector '{text}' is unknown; expected {Choices}"),
        };
    }
}
