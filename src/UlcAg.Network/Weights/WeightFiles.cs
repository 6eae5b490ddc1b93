using System.Buffers.Binary;
using UlcAg.Network.Weights.Torch;

namespace UlcAg.Network.Weights;

/// <summary>Reads named tensors from a weights file of any supported format, told apart by content.</summary>
public static class WeightFiles
{
    /// <summary>
    /// Reads a safetensors file or a PyTorch checkpoint (zip or legacy format). Notes (skipped entries, removed
    /// prefixes) are returned for the caller to log.
    /// </summary>
    /// <exception cref="WeightsException">The file is missing, of an unknown format, or malformed.</exception>
    public static TensorMap Read(string path, out IReadOnlyList<string> notes)
    {
        if (!File.Exists(path))
        {
            throw new WeightsException($"Weights file '{path}' does not exist.");
        }

        if (LooksLikeSafeTensors(path))
        {
            notes = [];
            return SafeTensorsFile.Read(path);
        }

        var contents = TorchCheckpoint.Read(path);
        notes = contents.Notes;
        return contents.Tensors;
    }

    // A safetensors file starts with a little-endian header length that fits the file, then '{'.
    private static bool LooksLikeSafeTensors(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[9];
        if (stream.ReadAtLeast(head, 9, throwOnEndOfStream: false) < 9)
        {
            return false;
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(head);
        return head[8] == (byte)'{' && headerLength <= (ulong)(stream.Length - 8);
    }
}
