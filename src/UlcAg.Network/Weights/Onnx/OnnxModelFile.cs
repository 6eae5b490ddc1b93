using Onnx;

namespace UlcAg.Network.Weights.Onnx;

/// <summary>Parses ONNX model files, turning a missing or unreadable file into a <see cref="WeightsException"/>.</summary>
internal static class OnnxModelFile
{
    public static ModelProto Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new WeightsException($"ONNX model '{path}' does not exist.");
        }

        try
        {
            using var stream = File.OpenRead(path);
            return ModelProto.Parser.ParseFrom(stream);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new WeightsException($"'{path}' is not a readable ONNX model: {e.Message}", e);
        }
    }
}
