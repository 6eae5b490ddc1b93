using System.Buffers.Binary;
using System.Collections;
using System.Globalization;
using System.Numerics;

namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// Reads the legacy torch.save format (torch before 1.6, or
/// <c>_use_new_zipfile_serialization=False</c>): five pickles and the storages' data in one stream.
/// </summary>
/// <remarks>
/// The pickles are the magic number 0x1950a86a20f9469cfc6c, the protocol version 1001, a dict of
/// system information (<c>little_endian</c>, type sizes), the saved object, whose storages are
/// persistent ids <c>('storage', storage_type, key, location, numel, view_metadata)</c>, and the
/// list of storage keys. Each storage follows in the order of that list: its element count as a
/// little-endian int64, then its elements. The data is indexed first and read only for the tensors
/// of the state dict.
/// </remarks>
internal static class LegacyCheckpointReader
{
    private const int ProtocolVersion = 1001;

    private static readonly BigInteger MagicNumber = BigInteger.Parse("01950a86a20f9469cfc6c", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static CheckpointContents Read(Stream stream, string path)
    {
        var unpickler = new TorchUnpickler();
        string Source(string pickle) => $"Checkpoint '{path}' (legacy format, {pickle})";

        if (unpickler.Load(stream, Source("magic number")) is not BigInteger magic || magic != MagicNumber)
        {
            throw new WeightsException($"Checkpoint '{path}' does not start with the magic number of torch.save.");
        }

        var version = unpickler.Load(stream, Source("protocol version"));
        if (version is not ProtocolVersion)
        {
            throw new WeightsException($"Checkpoint '{path}' has legacy protocol version {version ?? "None"}; only {ProtocolVersion} exists.");
        }

        if (unpickler.Load(stream, Source("system info")) is Hashtable info && info["little_endian"] is false)
        {
            throw new WeightsException($"Checkpoint '{path}' stores big-endian data, which is not supported.");
        }

        var root = unpickler.Load(stream, Source("saved object"));
        var keys = unpickler.Load(stream, Source("storage keys")) as ArrayList
            ?? throw new WeightsException($"Checkpoint '{path}' has no list of storage keys after the saved object.");
        var positions = IndexData(stream, keys, unpickler.Storages, path);

        TorchStorage LoadStorage(StorageReference storage)
        {
            if (!positions.TryGetValue(storage.Key, out var position))
            {
                throw new WeightsException($"Checkpoint '{path}' refers to storage '{storage.Key}' but has no data for it.");
            }

            var bytes = new byte[storage.Numel * ElementDecoder.SizeOf(storage.Type)];
            stream.Position = position;
            stream.ReadExactly(bytes);
            return new TorchStorage(storage.Key, storage.Type, bytes);
        }

        return TorchCheckpoint.Extract(root, LoadStorage, path);
    }

    // Where each storage's elements start; checks that the counts match the ids and that the data is all there.
    private static Dictionary<string, long> IndexData(
        Stream stream, ArrayList keys, IReadOnlyDictionary<string, StorageReference> storages, string path)
    {
        var positions = new Dictionary<string, long>(StringComparer.Ordinal);
        Span<byte> count = stackalloc byte[8];
        foreach (var item in keys)
        {
            if (item is not string key || !storages.TryGetValue(key, out var storage))
            {
                throw new WeightsException($"Checkpoint '{path}' lists data for storage {item}, which no persistent id names.");
            }

            var numel = stream.ReadAtLeast(count, count.Length, throwOnEndOfStream: false) == count.Length
                ? BinaryPrimitives.ReadInt64LittleEndian(count)
                : throw Truncated(path, key);
            if (numel != storage.Numel)
            {
                throw new WeightsException(
                    $"Checkpoint '{path}': the data of storage '{key}' has {numel} values but its persistent id says {storage.Numel}.");
            }

            var end = stream.Position + checked(numel * ElementDecoder.SizeOf(storage.Type));
            if (end > stream.Length)
            {
                throw Truncated(path, key);
            }

            positions[key] = stream.Position;
            stream.Position = end;
        }

        return positions;
    }

    private static WeightsException Truncated(string path, string key) =>
        new($"Checkpoint '{path}' ends inside the data of storage '{key}'; the file is truncated.");
}
