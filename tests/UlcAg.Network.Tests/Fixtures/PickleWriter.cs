using System.Buffers.Binary;
using System.Text;

namespace UlcAg.Network.Tests.Fixtures;

/// <summary>
/// Emits pickle protocol 2 opcode by opcode, memoizing the way CPython's pickler does for
/// torch.save: every string, global, non-empty tuple, dict and REDUCE/NEWOBJ result gets a
/// BINPUT; a string or global seen before is fetched with BINGET instead of written again.
/// </summary>
internal sealed class PickleWriter
{
    private readonly MemoryStream _out = new();
    private readonly Dictionary<string, int> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _globals = new(StringComparer.Ordinal);
    private int _nextMemo;

    public PickleWriter Proto()
    {
        _out.WriteByte(0x80);
        _out.WriteByte(2);
        return this;
    }

    public PickleWriter Mark() => Op((byte)'(');

    public PickleWriter EmptyDict() => Op((byte)'}').Put();

    public PickleWriter EmptyList() => Op((byte)']').Put();

    public PickleWriter EmptyTuple() => Op((byte)')');

    public PickleWriter Tuple() => Op((byte)'t').Put();

    public PickleWriter Tuple1() => Op(0x85).Put();

    public PickleWriter Tuple2() => Op(0x86).Put();

    public PickleWriter Tuple3() => Op(0x87).Put();

    public PickleWriter Reduce() => Op((byte)'R').Put();

    public PickleWriter NewObj() => Op(0x81).Put();

    public PickleWriter Build() => Op((byte)'b');

    public PickleWriter SetItem() => Op((byte)'s');

    public PickleWriter SetItems() => Op((byte)'u');

    public PickleWriter Append() => Op((byte)'a');

    public PickleWriter Appends() => Op((byte)'e');

    public PickleWriter BinPersId() => Op((byte)'Q');

    public PickleWriter False() => Op(0x89);

    public PickleWriter True() => Op(0x88);

    public PickleWriter None() => Op((byte)'N');

    public PickleWriter Stop() => Op((byte)'.');

    public PickleWriter String(string value)
    {
        if (_strings.TryGetValue(value, out var index))
        {
            return Get(index);
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        Op((byte)'X');
        WriteUInt32((uint)bytes.Length);
        _out.Write(bytes);
        _strings[value] = _nextMemo;
        return Put();
    }

    public PickleWriter Global(string module, string name)
    {
        var key = module + "\n" + name;
        if (_globals.TryGetValue(key, out var index))
        {
            return Get(index);
        }

        Op((byte)'c');
        _out.Write(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));
        _globals[key] = _nextMemo;
        return Put();
    }

    /// <summary>BININT1, BININT2, BININT or LONG1, whichever CPython picks for the value.</summary>
    public PickleWriter Int(long value)
    {
        if (value is >= 0 and <= 0xff)
        {
            Op((byte)'K');
            _out.WriteByte((byte)value);
        }
        else if (value is >= 0 and <= 0xffff)
        {
            Op((byte)'M');
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)value);
            _out.Write(b);
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            Op((byte)'J');
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, (int)value);
            _out.Write(b);
        }
        else
        {
            var bytes = new System.Numerics.BigInteger(value).ToByteArray();
            Op(0x8a);
            _out.WriteByte((byte)bytes.Length);
            _out.Write(bytes);
        }

        return this;
    }

    public PickleWriter Float(double value)
    {
        Op((byte)'G');
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, value);
        _out.Write(b);
        return this;
    }

    /// <summary>A tuple of integers as CPython writes it: EMPTY_TUPLE, TUPLE1-3, or MARK ... TUPLE.</summary>
    public PickleWriter IntTuple(IReadOnlyList<long> values)
    {
        if (values.Count == 0)
        {
            return EmptyTuple();
        }

        if (values.Count > 3)
        {
            Mark();
        }

        foreach (var value in values)
        {
            Int(value);
        }

        return values.Count switch
        {
            1 => Tuple1(),
            2 => Tuple2(),
            3 => Tuple3(),
            _ => Tuple(),
        };
    }

    public PickleWriter Raw(params byte[] bytes)
    {
        _out.Write(bytes);
        return this;
    }

    public byte[] ToArray() => _out.ToArray();

    private PickleWriter Op(byte opcode)
    {
        _out.WriteByte(opcode);
        return this;
    }

    private PickleWriter Put()
    {
        var index = _nextMemo++;
        if (index < 256)
        {
            Op((byte)'q');
            _out.WriteByte((byte)index);
        }
        else
        {
            Op((byte)'r');
            WriteUInt32((uint)index);
        }

        return this;
    }

    private PickleWriter Get(int index)
    {
        if (index < 256)
        {
            Op((byte)'h');
            _out.WriteByte((byte)index);
        }
        else
        {
            Op((byte)'j');
            WriteUInt32((uint)index);
        }

        return this;
    }

    private void WriteUInt32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        _out.Write(b);
    }
}
