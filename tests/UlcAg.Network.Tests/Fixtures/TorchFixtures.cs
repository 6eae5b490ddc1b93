using System.Buffers.Binary;
using System.Text;

namespace UlcAg.Network.Tests.Fixtures;

/// <summary>
/// PyTorch checkpoints built byte by byte in torch.save's zip layout or its legacy layout, with
/// pickle protocol 2.
/// </summary>
internal static class TorchFixtures
{
    /// <summary>
    /// The bytes torch.save writes for
    /// <code>
    /// base = torch.arange(24.).reshape(4, 6)
    /// sd = OrderedDict(module.conv.weight = [[1.5, -2, 3.25], [4, 5, 6]],
    ///                  module.bn.num_batches_tracked = tensor(7),            # LongStorage
    ///                  module.view = base.t()[1:3, 2:5],                    # offset 13, stride (1, 6)
    ///                  module.half = tensor([0.5, -1.25, 2048], float16),
    ///                  module.shared_row = base.view(-1)[6:11:2])           # shares base's storage
    /// sd._metadata = OrderedDict({'': {'version': 1}})
    /// torch.save({'epoch': 3, 'state_dict': sd}, 'checkpoint.pth')
    /// </code>
    /// With <paramref name="withNamespace"/>, the dict also holds <c>'args': Namespace(lr=0.01)</c>,
    /// an object of a class the reader refuses.
    /// </summary>
    public static byte[] StateDictCheckpoint(string folder = "checkpoint", bool withNamespace = false)
    {
        var p = new PickleWriter().Proto().EmptyDict().Mark();
        p.String("epoch").Int(3);
        p.String("state_dict").Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        p.String("module.conv.weight");
        Tensor(p, "FloatStorage", "0", 6, 0, [2, 3], [3, 1]);
        p.String("module.bn.num_batches_tracked");
        Tensor(p, "LongStorage", "1", 1, 0, [], []);
        p.String("module.view");
        Tensor(p, "FloatStorage", "2", 24, 13, [2, 2], [1, 6]);
        p.String("module.half");
        Tensor(p, "HalfStorage", "3", 3, 0, [3], [1]);
        p.String("module.shared_row");
        Tensor(p, "FloatStorage", "2", 24, 6, [3], [2]);
        p.SetItems();

        // state_dict()._metadata, set on the OrderedDict by BUILD.
        p.EmptyDict().String("_metadata").Global("collections", "OrderedDict").EmptyTuple().Reduce()
            .String("").EmptyDict().String("version").Int(1).SetItem().SetItem().SetItem().Build();

        if (withNamespace)
        {
            p.String("args").Global("argparse", "Namespace").EmptyTuple().NewObj()
                .EmptyDict().String("lr").Float(0.01).SetItem().Build();
        }

        var pickle = p.SetItems().Stop().ToArray();

        return new TorchZipWriter()
            .Add($"{folder}/data.pkl", pickle)
            .Add($"{folder}/data/0", Floats(1.5f, -2f, 3.25f, 4f, 5f, 6f))
            .Add($"{folder}/data/1", Longs(7))
            .Add($"{folder}/data/2", Floats([.. Enumerable.Range(0, 24).Select(i => (float)i)]))
            .Add($"{folder}/data/3", Halves(0.5f, -1.25f, 2048f))
            .Add($"{folder}/version", Encoding.ASCII.GetBytes("3\n"))
            .Finish();
    }

    /// <summary>A bare state dict (no wrapper) whose only tensor is built by <paramref name="module"/>.<paramref name="name"/>.</summary>
    public static byte[] StateDictWithGlobal(string module, string name)
    {
        var p = new PickleWriter().Proto().Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        p.String("good");
        Tensor(p, "FloatStorage", "0", 1, 0, [1], [1]);
        p.String("bad").Global(module, name).Mark().Int(1).Int(2).Tuple().Reduce();
        var pickle = p.SetItems().Stop().ToArray();
        return new TorchZipWriter()
            .Add("archive/data.pkl", pickle)
            .Add("archive/data/0", Floats(1f))
            .Add("archive/version", Encoding.ASCII.GetBytes("3\n"))
            .Finish();
    }

    /// <summary>A torch 2.x style tensor: an UntypedStorage of bytes viewed as float32 by _rebuild_tensor_v3.</summary>
    public static byte[] UntypedStorageCheckpoint()
    {
        var p = new PickleWriter().Proto().EmptyDict().String("w");
        p.Global("torch._utils", "_rebuild_tensor_v3").Mark()
            .Mark().String("storage").Global("torch", "UntypedStorage").String("0").String("cpu").Int(16).Tuple()
            .BinPersId()
            .Int(1).IntTuple([3]).IntTuple([1]).False()
            .Global("collections", "OrderedDict").EmptyTuple().Reduce()
            .Global("torch", "float32")
            .Tuple().Reduce();
        var pickle = p.SetItem().Stop().ToArray();
        return new TorchZipWriter()
            .Add("archive/data.pkl", pickle)
            .Add("archive/byteorder", Encoding.ASCII.GetBytes("little"))
            .Add("archive/data/0", Floats(9f, 10f, 11f, 12f))
            .Add("archive/version", Encoding.ASCII.GetBytes("3\n"))
            .Finish();
    }

    /// <summary>
    /// The bytes torch.save(..., _use_new_zipfile_serialization=False) writes for
    /// <code>
    /// base = torch.arange(1., 7.)                       # storage '140001'
    /// torch.save({'epoch': 7, 'state_dict': OrderedDict(
    ///     module.w = base.view(2, 3),
    ///     module.t = base.view(2, 3).t(),               # shares the storage, stride (1, 3)
    ///     module.slice = &lt;base.storage()[2:5] as view '140002'&gt;[1:3],   # a storage view (torch &lt; 0.4)
    ///     module.n = tensor(42),                        # LongStorage '140003'
    ///     module.h = tensor([0.5, -2], float16))}, f)  # HalfStorage '140004'
    /// </code>
    /// <paramref name="cutData"/> bytes are left off the end.
    /// </summary>
    public static byte[] LegacyCheckpoint(int cutData = 0)
    {
        var p = new PickleWriter().Proto().EmptyDict().Mark().String("epoch").Int(7);
        p.String("state_dict").Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        p.String("module.w");
        Tensor(p, "FloatStorage", "140001", 6, 0, [2, 3], [3, 1], legacy: true);
        p.String("module.t");
        Tensor(p, "FloatStorage", "140001", 6, 0, [3, 2], [1, 3], legacy: true);
        p.String("module.slice");
        Tensor(p, "FloatStorage", "140001", 6, 1, [2], [1], legacy: true, view: ("140002", 2, 3));
        p.String("module.n");
        Tensor(p, "LongStorage", "140003", 1, 0, [], [], legacy: true);
        p.String("module.h");
        Tensor(p, "HalfStorage", "140004", 2, 0, [2], [1], legacy: true);
        var file = LegacyFile(
            p.SetItems().SetItems().Stop().ToArray(),
            ["140001", "140003", "140004"],
            [.. Longs(6), .. Floats(1, 2, 3, 4, 5, 6), .. Longs(1), .. Longs(42), .. Longs(2), .. Halves(0.5f, -2f)]);
        return file[..^cutData];
    }

    /// <summary>
    /// A legacy torch.save file around the pickled object <paramref name="main"/>: the magic number,
    /// protocol version and system info pickles before it, the list of <paramref name="storageKeys"/>
    /// after it, then <paramref name="data"/> (each storage's int64 element count and elements).
    /// </summary>
    public static byte[] LegacyFile(byte[] main, string[] storageKeys, byte[] data)
    {
        var magic = new PickleWriter().Proto().Raw(0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19).Stop();
        var version = new PickleWriter().Proto().Int(1001).Stop();
        var systemInfo = new PickleWriter().Proto().EmptyDict().Mark()
            .String("protocol_version").Int(1001).String("little_endian").True()
            .String("type_sizes").EmptyDict().Mark().String("short").Int(2).String("int").Int(4).String("long").Int(4).SetItems()
            .SetItems().Stop();
        var keys = new PickleWriter().Proto().EmptyList().Mark();
        foreach (var key in storageKeys)
        {
            keys.String(key);
        }

        return [.. magic.ToArray(), .. version.ToArray(), .. systemInfo.ToArray(), .. main, .. keys.Appends().Stop().ToArray(), .. data];
    }

    /// <summary>
    /// _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()) exactly as torch pickles
    /// a tensor. A <paramref name="legacy"/> persistent id has a sixth item: None, or the
    /// <paramref name="view"/> (key, offset, numel) of the storage that the tensor views.
    /// A <paramref name="storageType"/> of "cuda.FloatStorage" and the like names a GPU storage.
    /// </summary>
    public static void Tensor(
        PickleWriter p, string storageType, string key, long numel, long offset, long[] size, long[] stride,
        bool legacy = false, (string Key, long Offset, long Numel)? view = null)
    {
        // "cuda.FloatStorage": a storage saved from the GPU, torch.cuda.FloatStorage on "cuda:0".
        var cuda = storageType.StartsWith("cuda.", StringComparison.Ordinal);
        p.Global("torch._utils", "_rebuild_tensor_v2").Mark()
            .Mark().String("storage").Global(cuda ? "torch.cuda" : "torch", storageType[(cuda ? 5 : 0)..])
            .String(key).String(cuda ? "cuda:0" : "cpu").Int(numel);
        if (view is { } slice)
        {
            p.String(slice.Key).Int(slice.Offset).Int(slice.Numel).Tuple3();
        }
        else if (legacy)
        {
            p.None();
        }

        p.Tuple().BinPersId()
            .Int(offset).IntTuple(size).IntTuple(stride).False()
            .Global("collections", "OrderedDict").EmptyTuple().Reduce()
            .Tuple().Reduce();
    }

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    public static byte[] Longs(params long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return bytes;
    }

    public static byte[] Halves(params float[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)values[i]);
        }

        return bytes;
    }
}
