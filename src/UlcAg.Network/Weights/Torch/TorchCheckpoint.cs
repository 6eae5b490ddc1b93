using System.Collections;
using System.IO.Compression;
using System.Numerics;
using System.Text;

namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// Reads the tensors of a PyTorch checkpoint (<c>.pth</c>, <c>.pt</c>, <c>.pth.tar</c>) written by
/// <c>torch.save</c>, without Python: the zip format of torch 1.6 and later, and the legacy format
/// of earlier versions (or <c>_use_new_zipfile_serialization=False</c>).
/// </summary>
/// <remarks>
/// A zip archive holds <c>&lt;folder&gt;/data.pkl</c> (the pickled object), one
/// <c>&lt;folder&gt;/data/&lt;key&gt;</c> entry per storage, and <c>&lt;folder&gt;/version</c>; the folder
/// name varies. A legacy file is a sequence of pickles followed by the storages' data
/// (<see cref="LegacyCheckpointReader"/>). Pickles are read without running code
/// (<see cref="TorchUnpickler"/>): only tensors, parameters, (ordered) dicts, lists, tuples and
/// scalars are understood, and any other Python global is refused. The state dict may be the
/// top-level object or sit under <c>state_dict</c>, <c>model_state_dict</c>, <c>model</c> or
/// <c>net</c>; other entries (epoch, optimizer, ...) are skipped with a note, and a <c>module.</c>
/// prefix left by <c>nn.DataParallel</c> is removed.
/// </remarks>
public static class TorchCheckpoint
{
    private const string ModulePrefix = "module.";

    private static readonly string[] WrapperKeys = ["state_dict", "model_state_dict", "model", "net"];

    // A legacy file starts with the pickled magic number 0x1950a86a20f9469cfc6c: LONG1 of 10 bytes.
    private static readonly byte[] LegacyMagic = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

    /// <summary>Reads the state dict of the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="WeightsException">
    /// The file is missing, is not a torch.save file (or uses the tar format of torch before 0.1.10),
    /// is malformed, names a Python global other than those of tensors and containers, or holds
    /// no tensors.
    /// </exception>
    public static CheckpointContents Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new WeightsException($"Checkpoint '{path}' does not exist.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return IsLegacy(stream, path) ? LegacyCheckpointReader.Read(stream, path) : ReadArchive(stream, path);
    }

    // True for a legacy file, false for a zip archive; throws for anything else.
    private static bool IsLegacy(Stream stream, string path)
    {
        Span<byte> head = stackalloc byte[512];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        stream.Position = 0;
        if (head.StartsWith("PK"u8) && read >= 4 && head[2] is 3 or 5)
        {
            return false;
        }

        // PROTO n (a FRAME follows it from protocol 4 on), then the magic number.
        if (read > 2 && head[0] == 0x80 && head[..Math.Min(read, 32)].IndexOf(LegacyMagic) >= 0)
        {
            return true;
        }

        if (read >= 262 && head[257..262].SequenceEqual("ustar"u8))
        {
            throw new WeightsException(
                $"Checkpoint '{path}' is a tar archive, the format of torch before 0.1.10, which is not supported. " +
                "Re-save it with torch >= 1.6: torch.save(torch.load(path, map_location='cpu'), new_path).");
        }

        throw new WeightsException(
            $"'{path}' is not a PyTorch checkpoint: expected a zip archive (torch >= 1.6) or a legacy file written by torch.save.");
    }

    private static CheckpointContents ReadArchive(Stream stream, string path)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new WeightsException($"Checkpoint '{path}' is a damaged zip archive: {e.Message}", e);
        }

        using (archive)
        {
            return ReadArchive(archive, path);
        }
    }

    private static CheckpointContents ReadArchive(ZipArchive archive, string path)
    {
        var pickleEntry = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)
                && e.FullName.IndexOf('/', StringComparison.Ordinal) == e.FullName.Length - "/data.pkl".Length)
            ?? throw new WeightsException(
                $"'{path}' is a zip archive without a '<folder>/data.pkl' entry, so it is not a PyTorch checkpoint.");
        var folder = pickleEntry.FullName[..^"data.pkl".Length];

        var byteOrder = archive.GetEntry(folder + "byteorder");
        if (byteOrder is not null && Encoding.UTF8.GetString(ReadBytes(byteOrder)).Trim() != "little")
        {
            throw new WeightsException($"Checkpoint '{path}' stores big-endian data ({folder}byteorder), which is not supported.");
        }

        TorchStorage LoadStorage(StorageReference storage)
        {
            var name = $"{folder}data/{storage.Key}";
            var entry = archive.GetEntry(name)
                ?? throw new WeightsException($"Checkpoint '{path}' refers to storage '{storage.Key}' but has no entry '{name}'.");
            var needed = checked(storage.Numel * ElementDecoder.SizeOf(storage.Type));
            if (entry.Length < needed)
            {
                throw new WeightsException(
                    $"Checkpoint '{path}': entry '{name}' has {entry.Length} bytes but storage '{storage.Key}' needs {storage.Numel} {storage.Type} values ({needed} bytes).");
            }

            var bytes = ReadBytes(entry);
            return new TorchStorage(storage.Key, storage.Type, bytes.Length == needed ? bytes : bytes[..(int)needed]);
        }

        using var pickle = new MemoryStream(ReadBytes(pickleEntry), writable: false);
        var root = new TorchUnpickler().Load(pickle, $"Checkpoint '{path}' ({pickleEntry.FullName})");
        return Extract(root, LoadStorage, path);
    }

    /// <summary>
    /// Finds the state dict in an unpickled checkpoint and copies out its tensors.
    /// </summary>
    /// <param name="root">The loaded object, checked by <see cref="TorchUnpickler"/>.</param>
    /// <param name="loadStorage">Reads the data of a whole storage (not a view); called once per key.</param>
    /// <param name="path">The checkpoint, for messages.</param>
    internal static CheckpointContents Extract(object? root, Func<StorageReference, TorchStorage> loadStorage, string path)
    {
        if (root is not Hashtable top)
        {
            throw new WeightsException(
                $"Checkpoint '{path}' holds {Describe(root)}, not a dictionary of tensors (a state dict).");
        }

        var notes = new List<string>();
        string? wrapperKey = null;
        var stateDict = top;
        foreach (var key in WrapperKeys)
        {
            if (top[key] is Hashtable inner)
            {
                wrapperKey = key;
                stateDict = inner;
                break;
            }
        }

        if (wrapperKey is not null)
        {
            foreach (var (key, value) in Entries(top))
            {
                if (!Equals(key, wrapperKey))
                {
                    notes.Add($"Ignored top-level entry '{key}' ({Describe(value)}).");
                }
            }
        }

        var storages = new StorageCache(loadStorage, path);
        var tensors = new TensorMap();
        var stripped = 0;
        foreach (var (key, value) in Entries(stateDict))
        {
            if (value is not TensorView view || key is not string name)
            {
                notes.Add($"Ignored state dict entry '{key}' ({Describe(value)}), which is not a tensor.");
                continue;
            }

            if (name.StartsWith(ModulePrefix, StringComparison.Ordinal))
            {
                name = name[ModulePrefix.Length..];
                stripped++;
            }

            if (tensors.Contains(name))
            {
                throw new WeightsException(
                    $"Checkpoint '{path}': key '{key}' becomes '{name}' without its '{ModulePrefix}' prefix, which another key already uses.");
            }

            tensors.Add(name, TorchTensorBuilder.Build(
                storages.Get(view.Storage), view.Type, view.Offset, view.Size, view.Stride, $"Checkpoint '{path}', tensor '{key}'"));
        }

        if (tensors.Count == 0)
        {
            var keys = string.Join(", ", Entries(top).Take(10).Select(e => $"'{e.Key}'"));
            throw new WeightsException($"Checkpoint '{path}' contains no tensors; its top-level keys are {keys}.");
        }

        if (stripped > 0)
        {
            notes.Add($"Removed the '{ModulePrefix}' prefix (nn.DataParallel) from {stripped} keys.");
        }

        return new CheckpointContents(tensors, wrapperKey, notes);
    }

    // Unpickled dicts do not keep their order. Tensors come in the order they were pickled, which
    // is the dict's order when it was saved; other entries follow, by key.
    private static List<(object Key, object? Value)> Entries(Hashtable dict) =>
        [.. dict.Cast<DictionaryEntry>()
            .OrderBy(e => e.Value is TensorView view ? view.Order : long.MaxValue)
            .ThenBy(e => e.Key.ToString(), StringComparer.Ordinal)
            .Select(e => (e.Key, e.Value))];

    private static string Describe(object? value) => value switch
    {
        null => "None",
        string => "str",
        int or long or BigInteger => "int",
        double => "float",
        bool => "bool",
        byte[] => "bytes",
        TensorView view => $"tensor {HostTensor.FormatShape(view.Size)}",
        StorageReference => "storage",
        Hashtable dict => $"dict of {dict.Count} entries",
        ArrayList list => $"list of {list.Count} items",
        object?[] tuple => $"tuple of {tuple.Length} items",
        HashSet<object> set => $"set of {set.Count} items",
        AllowedGlobal global => $"'{global}'",
        _ => value.GetType().Name,
    };

    private static byte[] ReadBytes(ZipArchiveEntry entry)
    {
        using var input = entry.Open();
        var bytes = new byte[entry.Length];
        input.ReadExactly(bytes);
        return bytes;
    }
}
