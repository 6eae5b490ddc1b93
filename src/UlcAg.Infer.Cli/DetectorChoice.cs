using UlcAg.Cli;
using UlcAg.Data.Faces;

namespace UlcAg.Infer.Cli;

/// <summary>The <c>--detector</c> argument: haar, haar:CASCADE.xml or yunet:MODEL.onnx.</summary>
internal static class DetectorChoice
{
    /// <summary>Parses the argument into a detector description.</summary>
    /// <exception cref="UsageException">The text names no known detector, or yunet lacks its model path.</exception>
    public static FaceDetectorSpec Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        var path = colon < 0 ? null : text[(colon + 1)..].Trim();
        return kind switch
        {
            "haar" => FaceDetectorSpec.Haar(string.IsNullOrEmpty(path) ? null : path),
            "yunet" when !string.IsNullOrEmpty(path) => FaceDetectorSpec.YuNet(path),
            "yunet" => throw new UsageException("--detector yunet needs the model file: --detector yunet:PATH/face_detection_yunet_2023mar.onnx"),
            _ => throw new UsageException($"--detector '{text}' is unknown; expected haar, haar:CASCADE.xml or yunet:MODEL.onnx"),
        };
    }
}
