using System.Buffers.Binary;
using System.Text;

namespace UlcAg.Network.Tests.Fixtures;

/// <summary>PyTorch checkpoints built byte by byte in torch.save's zip layout and pickle protocol 2.</summary>
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
    /// torch.save({'epoch': 3, 'state_dict': sd, 'args': Namespace(lr=0.01)}, 'checkpoint.pth')
    /// </code>
    /// </summary>
    public static byte[] StateDictCheckpoint(string folder = "checkpoint")
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

        // An object the reader cannot build, outside the state dict: skipped with a note.
        p.String("args").Global("argparse", "Namespace").EmptyTuple().NewObj()
            .EmptyDict().String("lr").Float(0.01).SetItem().Build();
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

    /// <summary>The first bytes of a legacy (torch &lt; 1.6) checkpoint: the pickled magic number and protocol version.</summary>
    public static byte[] LegacyCheckpointHead() =>
        new PickleWriter().Proto().Raw(0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19).Stop()
            .Proto().Int(1001).Stop().ToArray();

    /// <summary>_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()) exactly as torch pickles a tensor.</summary>
    public static void Tensor(PickleWriter p, string storageType, string key, long numel, long offset, long[] size, long[] stride) =>
        p.Global("torch._utils", "_rebuild_tensor_v2").Mark()
            .Mark().String("storage").Global("torch", storageType).String(key).String("cpu").Int(numel).Tuple()
            .BinPersId()
            .Int(offset).IntTuple(size).IntTuple(stride).False()
            .Global("collections", "OrderedDict").EmptyTuple().Reduce()
            .Tuple().Reduce();

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
