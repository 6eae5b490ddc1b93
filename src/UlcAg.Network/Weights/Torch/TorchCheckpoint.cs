using System.IO.Compression;
using System.Text;
using UlcAg.Network.Weights.Pickle;

namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// Reads the tensors of a PyTorch checkpoint (<c>.pth</c>, <c>.pt</c>, <c>.pth.tar</c>) written by
/// <c>torch.save</c> in the zip format of torch 1.6 and later, without Python.
/// </summary>
/// <remarks>
/// The archive holds <c>&lt;folder&gt;/data.pkl</c> (the pickled object), one
/// <c>&lt;folder&gt;/data/&lt;key&gt;</c> entry per storage, and <c>&lt;folder&gt;/version</c>; the folder
/// name varies. The pickle is interpreted without running code: only tensors, parameters,
/// (ordered) dicts, lists, tuples and scalars are understood. The state dict may be the top-level
/// object or sit under <c>state_dict</c>, <c>model_state_dict</c>, <c>model</c> or <c>net</c>;
/// other entries (epoch, optimizer, arguments, ...) are skipped with a note, and a <c>module.</c>
/// prefix left by <c>nn.DataParallel</c> is removed.
/// </remarks>
public static class TorchCheckpoint
{
    private const string ModulePrefix = "module.";

    private static readonly string[] WrapperKeys = ["state_dict", "model_state_dict", "model", "net"];

    // Legacy torch.save files start with a pickled magic number: PROTO 2, LONG1 of 10 bytes.
    private static readonly byte[] LegacyMagic = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

    /// <summary>Reads the state dict of the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="WeightsException">
    /// The file is missing, is a legacy (pre-1.6) or otherwise unsupported file, is malformed,
    /// or its state dict holds an object other than a tensor that cannot be skipped.
    /// </exception>
    public static CheckpointContents Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new WeightsException($"Checkpoint '{path}' does not exist.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        CheckFormat(stream, path);
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

    private static void CheckFormat(Stream stream, string path)
    {
        Span<byte> head = stackalloc byte[512];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        stream.Position = 0;
        if (head.StartsWith("PK"u8) && read >= 4 && head[2] is 3 or 5)
        {
            return;
        }

        if (head.StartsWith(LegacyMagic) || (read >= 262 && head[257..262].SequenceEqual("ustar"u8)))
        {
            throw new WeightsException(
                $"Checkpoint '{path}' uses the legacy PyTorch format (saved by torch < 1.6 or with _use_new_zipfile_serialization=False), which is not supported. " +
                "Re-save it with torch >= 1.6: torch.save(torch.load(path, map_location='cpu'), new_path).");
        }

        throw new WeightsException(
            $"'{path}' is not a PyTorch checkpoint: expected a zip archive written by torch.save (torch >= 1.6).");
    }

    private static CheckpointContents ReadArchive(ZipArchive archive, string path)
    {
        var pickleEntry = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)
                && e.FullName.IndexOf('/', StringComparison.Ordinal) == e.FullName.Length - "/data.pkl".Length)
            ?? throw new WeightsException(
                $"'{path}' is a zip archive without a '<folder>/data.pkl' entry, so it is not a PyTorch checkpoint.");
        var folder = pickleEntry.FullName[..^"data.pkl".Length];

        var byteOrder = archive.GetEntry(folder + "byteorder");
        if (byteOrder is not null && ReadText(byteOrder).Trim() != "little")
        {
            throw new WeightsException($"Checkpoint '{path}' stores big-endian data ({folder}byteorder), which is not supported.");
        }

        var source = $"Checkpoint '{path}' ({pickleEntry.FullName})";
        TorchStorage LoadStorage(string key, ElementType type, long numel)
        {
            var name = $"{folder}data/{key}";
            var entry = archive.GetEntry(name)
                ?? throw new WeightsException($"Checkpoint '{path}' refers to storage '{key}' but has no entry '{name}'.");
            var needed = checked(numel * ElementDecoder.SizeOf(type));
            if (entry.Length < needed)
            {
                throw new WeightsException(
                    $"Checkpoint '{path}': entry '{name}' has {entry.Length} bytes but storage '{key}' needs {numel} {type} values ({needed} bytes).");
            }

            var bytes = ReadBytes(entry);
            return new TorchStorage(key, type, bytes.Length == needed ? bytes : bytes[..(int)needed]);
        }

        var root = PickleMachine.Load(ReadBytes(pickleEntry), source, new TorchObjectResolver(LoadStorage, source));
        return Extract(root, path);
    }

    private static CheckpointContents Extract(object? root, string path)
    {
        if (root is not OrderedDictionary<object, object?> top)
        {
            throw new WeightsException(
                $"Checkpoint '{path}' holds {Describe(root)}, not a dictionary of tensors (a state dict).");
        }

        var notes = new List<string>();
        string? wrapperKey = null;
        var stateDict = top;
        foreach (var key in WrapperKeys)
        {
            if (!top.TryGetValue(key, out var value))
            {
                continue;
            }

            if (value is UnsupportedObject unsupported)
            {
                throw new WeightsException(
                    $"Checkpoint '{path}': entry '{key}' is a pickled Python object of type '{unsupported.Global}', not a state dict. " +
                    "Save model.state_dict() instead of the model object.");
            }

            if (value is OrderedDictionary<object, object?> inner)
            {
                wrapperKey = key;
                stateDict = inner;
                break;
            }
        }

        if (wrapperKey is not null)
        {
            foreach (var (key, value) in top)
            {
                if (!Equals(key, wrapperKey))
                {
                    notes.Add($"Ignored top-level entry '{key}' ({Describe(value)}).");
                }
            }
        }

        var tensors = new TensorMap();
        var stripped = 0;
        foreach (var (key, value) in stateDict)
        {
            switch (value)
            {
                case HostTensor tensor when key is string name:
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

                    tensors.Add(name, tensor);
                    break;
                case UnsupportedObject unsupported:
                    throw new WeightsException(
                        $"Checkpoint '{path}': state dict entry '{key}' is built by '{unsupported.Global}', which is not supported " +
                        "(supported: tensors via torch._utils._rebuild_tensor_v2/_v3 and _rebuild_parameter, collections.OrderedDict).");
                default:
                    notes.Add($"Ignored state dict entry '{key}' ({Describe(value)}), which is not a tensor.");
                    break;
            }
        }

        if (tensors.Count == 0)
        {
            var keys = string.Join(", ", top.Keys.Take(10).Select(k => $"'{k}'"));
            throw new WeightsException($"Checkpoint '{path}' contains no tensors; its top-level keys are {keys}.");
        }

        if (stripped > 0)
        {
            notes.Add($"Removed the '{ModulePrefix}' prefix (nn.DataParallel) from {stripped} keys.");
        }

        return new CheckpointContents(tensors, wrapperKey, notes);
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        string => "str",
        long or System.Numerics.BigInteger => "int",
        double => "float",
        bool => "bool",
        byte[] => "bytes",
        HostTensor tensor => $"tensor {HostTensor.FormatShape(tensor.Shape)}",
        OrderedDictionary<object, object?> dict => $"dict of {dict.Count} entries",
        List<object?> list => $"list of {list.Count} items",
        PyTuple tuple => $"tuple of {tuple.Count} items",
        UnsupportedObject unsupported => $"object of type '{unsupported.Global}'",
        PyGlobal global => $"'{global}'",
        _ => value.GetType().Name,
    };

    private static byte[] ReadBytes(ZipArchiveEntry entry)
    {
        using var input = entry.Open();
        var bytes = new byte[entry.Length];
        input.ReadExactly(bytes);
        return bytes;
    }

    private static string ReadText(ZipArchiveEntry entry) => Encoding.UTF8.GetString(ReadBytes(entry));
}
