using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace UlcAg.Network.Weights.Pickle;

/// <summary>
/// Interprets a Python pickle (protocols 0-5, the binary opcodes torch.save emits plus the common
/// rest) into plain objects: <see cref="string"/>, <see cref="long"/> (or <see cref="BigInteger"/>),
/// <see cref="double"/>, <see cref="bool"/>, <c>null</c> for None, <see cref="byte"/>[],
/// <see cref="List{T}"/> of objects for lists and sets, <see cref="PyTuple"/>, and
/// <see cref="OrderedDictionary{TKey, TValue}"/> for dicts. Globals are never imported: they are
/// passed as <see cref="PyGlobal"/> values to an <see cref="IPickleResolver"/>.
/// </summary>
internal sealed class PickleMachine
{
    private readonly byte[] _data;
    private readonly string _source;
    private readonly IPickleResolver _resolver;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;

    private PickleMachine(byte[] data, string source, IPickleResolver resolver)
    {
        _data = data;
        _source = source;
        _resolver = resolver;
    }

    /// <summary>Runs the pickle in <paramref name="data"/> to its STOP opcode and returns the result.</summary>
    /// <param name="data">The pickle bytes.</param>
    /// <param name="source">Names the pickle in error messages (file and archive entry).</param>
    /// <param name="resolver">Builds objects for REDUCE, NEWOBJ, BUILD and persistent ids.</param>
    /// <exception cref="WeightsException">The pickle is truncated, malformed or uses an unsupported opcode.</exception>
    public static object? Load(byte[] data, string source, IPickleResolver resolver) =>
        new PickleMachine(data, source, resolver).Run();

    private object? Run()
    {
        while (true)
        {
            var at = _position;
            var opcode = ReadByte();
            try
            {
                if (Execute(opcode))
                {
                    return Pop();
                }
            }
            catch (WeightsException)
            {
                throw;
            }
            catch (Exception e) when (e is InvalidOperationException or InvalidCastException or OverflowException or ArgumentException or FormatException)
            {
                throw Malformed(at, $"opcode 0x{opcode:x2} '{(char)opcode}': {e.Message}");
            }
        }
    }

    // Returns true on STOP.
    private bool Execute(byte opcode)
    {
        switch (opcode)
        {
            case 0x80: // PROTO
                var protocol = ReadByte();
                if (protocol > 5)
                {
                    throw Malformed(_position - 2, $"pickle protocol {protocol} is newer than the supported 0-5");
                }

                break;
            case 0x95: // FRAME: an 8-byte length; frames only group opcodes.
                Skip(8);
                break;
            case (byte)'.': // STOP
                return true;

            // Marks, stack and memo.
            case (byte)'(': // MARK
                _marks.Push(_stack.Count);
                break;
            case (byte)'0': // POP
                Pop();
                break;
            case (byte)'1': // POP_MARK
                PopMark();
                break;
            case (byte)'2': // DUP
                Push(Peek());
                break;
            case (byte)'q': // BINPUT
                _memo[ReadByte()] = Peek();
                break;
            case (byte)'r': // LONG_BINPUT
                _memo[ReadUInt32()] = Peek();
                break;
            case (byte)'p': // PUT
                _memo[long.Parse(ReadLine(), CultureInfo.InvariantCulture)] = Peek();
                break;
            case 0x94: // MEMOIZE
                _memo[_memo.Count] = Peek();
                break;
            case (byte)'h': // BINGET
                Push(GetMemo(ReadByte()));
                break;
            case (byte)'j': // LONG_BINGET
                Push(GetMemo(ReadUInt32()));
                break;
            case (byte)'g': // GET
                Push(GetMemo(long.Parse(ReadLine(), CultureInfo.InvariantCulture)));
                break;

            // Scalars.
            case (byte)'N': // NONE
                Push(null);
                break;
            case 0x88: // NEWTRUE
                Push(true);
                break;
            case 0x89: // NEWFALSE
                Push(false);
                break;
            case (byte)'J': // BININT
                Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4)));
                break;
            case (byte)'K': // BININT1
                Push((long)ReadByte());
                break;
            case (byte)'M': // BININT2
                Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2)));
                break;
            case 0x8a: // LONG1
                Push(ReadLong(ReadByte()));
                break;
            case 0x8b: // LONG4
                Push(ReadLong(checked((int)ReadUInt32())));
                break;
            case (byte)'I': // INT (text; "00"/"01" are False/True)
                Push(ParseTextInt(ReadLine()));
                break;
            case (byte)'L': // LONG (text)
                Push(NarrowInteger(BigInteger.Parse(ReadLine().TrimEnd('L'), CultureInfo.InvariantCulture)));
                break;
            case (byte)'G': // BINFLOAT: big-endian IEEE double
                Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8)));
                break;
            case (byte)'F': // FLOAT (text)
                Push(double.Parse(ReadLine(), CultureInfo.InvariantCulture));
                break;

            // Strings and bytes.
            case (byte)'X': // BINUNICODE
                Push(Encoding.UTF8.GetString(Take(checked((int)ReadUInt32()))));
                break;
            case 0x8c: // SHORT_BINUNICODE
                Push(Encoding.UTF8.GetString(Take(ReadByte())));
                break;
            case 0x8d: // BINUNICODE8
                Push(Encoding.UTF8.GetString(Take(checked((int)ReadUInt64()))));
                break;
            case (byte)'T': // BINSTRING (Python 2 str, read as Latin-1 text)
                Push(Encoding.Latin1.GetString(Take(checked((int)ReadUInt32()))));
                break;
            case (byte)'U': // SHORT_BINSTRING
                Push(Encoding.Latin1.GetString(Take(ReadByte())));
                break;
            case (byte)'B': // BINBYTES
                Push(Take(checked((int)ReadUInt32())).ToArray());
                break;
            case (byte)'C': // SHORT_BINBYTES
                Push(Take(ReadByte()).ToArray());
                break;
            case 0x8e: // BINBYTES8
            case 0x96: // BYTEARRAY8
                Push(Take(checked((int)ReadUInt64())).ToArray());
                break;

            // Containers.
            case (byte)']': // EMPTY_LIST
            case 0x8f: // EMPTY_SET
                Push(new List<object?>());
                break;
            case (byte)'l': // LIST
                Push(PopMark());
                break;
            case (byte)'a': // APPEND
                var item = Pop();
                PeekAs<List<object?>>("APPEND").Add(item);
                break;
            case (byte)'e': // APPENDS
            case 0x90: // ADDITEMS
                var items = PopMark();
                PeekAs<List<object?>>("APPENDS").AddRange(items);
                break;
            case 0x91: // FROZENSET
                Push(PopMark());
                break;
            case (byte)')': // EMPTY_TUPLE
                Push(PyTuple.Empty);
                break;
            case (byte)'t': // TUPLE
                Push(new PyTuple([.. PopMark()]));
                break;
            case 0x85: // TUPLE1
                Push(new PyTuple([Pop()]));
                break;
            case 0x86: // TUPLE2
                var second = Pop();
                Push(new PyTuple([Pop(), second]));
                break;
            case 0x87: // TUPLE3
                var third = Pop();
                var middle = Pop();
                Push(new PyTuple([Pop(), middle, third]));
                break;
            case (byte)'}': // EMPTY_DICT
                Push(NewDict());
                break;
            case (byte)'d': // DICT
                var dict = NewDict();
                SetItems(dict, PopMark());
                Push(dict);
                break;
            case (byte)'s': // SETITEM
                var value = Pop();
                var key = Pop();
                SetItems(PeekAs<OrderedDictionary<object, object?>>("SETITEM"), [key, value]);
                break;
            case (byte)'u': // SETITEMS
                var pairs = PopMark();
                SetItems(PeekAs<OrderedDictionary<object, object?>>("SETITEMS"), pairs);
                break;

            // Objects: meaning comes from the resolver.
            case (byte)'c': // GLOBAL
                var module = ReadLine();
                Push(new PyGlobal(module, ReadLine()));
                break;
            case 0x93: // STACK_GLOBAL
                var name = PopAs<string>("STACK_GLOBAL name");
                Push(new PyGlobal(PopAs<string>("STACK_GLOBAL module"), name));
                break;
            case (byte)'R': // REDUCE
                var args = PopAs<PyTuple>("REDUCE arguments");
                Push(_resolver.Call(Pop(), args));
                break;
            case 0x81: // NEWOBJ
                var newArgs = PopAs<PyTuple>("NEWOBJ arguments");
                Push(_resolver.Call(Pop(), newArgs));
                break;
            case 0x92: // NEWOBJ_EX: keyword arguments are not used by the supported globals.
                Pop();
                var exArgs = PopAs<PyTuple>("NEWOBJ_EX arguments");
                Push(_resolver.Call(Pop(), exArgs));
                break;
            case (byte)'b': // BUILD
                var state = Pop();
                _resolver.Build(Peek(), state);
                break;
            case (byte)'Q': // BINPERSID
                Push(_resolver.PersistentLoad(Pop()));
                break;
            case (byte)'P': // PERSID
                Push(_resolver.PersistentLoad(ReadLine()));
                break;
            default:
                throw Malformed(_position - 1, $"unsupported pickle opcode 0x{opcode:x2} ('{(char)opcode}')");
        }

        return false;
    }

    private static OrderedDictionary<object, object?> NewDict() => new();

    private void SetItems(OrderedDictionary<object, object?> dict, List<object?> pairs)
    {
        if (pairs.Count % 2 != 0)
        {
            throw new InvalidOperationException("odd number of items for a dictionary");
        }

        for (var i = 0; i < pairs.Count; i += 2)
        {
            var key = pairs[i] ?? throw new InvalidOperationException("a dictionary key is None, which is not supported");
            dict[key] = pairs[i + 1];
        }
    }

    private object? GetMemo(long index) =>
        _memo.TryGetValue(index, out var value)
            ? value
            : throw new InvalidOperationException($"memo entry {index} is read before it is written");

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() =>
        _stack.Count > (_marks.Count > 0 ? _marks.Peek() : 0)
            ? _stack[^1]
            : throw new InvalidOperationException("the stack is empty");

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private T PeekAs<T>(string what) =>
        Peek() is T value ? value : throw new InvalidOperationException($"{what} expects a {typeof(T).Name} on the stack, found {Describe(Peek())}");

    private T PopAs<T>(string what) =>
        Pop() is T value ? value : throw new InvalidOperationException($"{what} must be a {typeof(T).Name}");

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
        {
            throw new InvalidOperationException("no MARK on the stack");
        }

        var mark = _marks.Pop();
        var items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw Malformed(_position, "the pickle ends before its STOP opcode");
        }

        return _data[_position++];
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _position + (long)count > _data.Length)
        {
            throw Malformed(_position, $"a {count}-byte argument runs past the end of the pickle");
        }

        var span = _data.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private void Skip(int count) => Take(count);

    private uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    private ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    private string ReadLine()
    {
        var end = Array.IndexOf(_data, (byte)'\n', _position);
        if (end < 0)
        {
            throw Malformed(_position, "a text argument has no terminating newline");
        }

        var line = Encoding.UTF8.GetString(_data, _position, end - _position);
        _position = end + 1;
        return line;
    }

    // LONG1/LONG4: little-endian two's complement of the given byte count.
    private object ReadLong(int count) =>
        NarrowInteger(new BigInteger(Take(count), isUnsigned: false, isBigEndian: false));

    private static object ParseTextInt(string text) => text switch
    {
        "00" => false,
        "01" => true,
        _ => NarrowInteger(BigInteger.Parse(text, CultureInfo.InvariantCulture)),
    };

    private static object NarrowInteger(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? (long)value : value;

    private static string Describe(object? value) => value?.GetType().Name ?? "None";

    private WeightsException Malformed(int offset, string reason) =>
        new($"{_source} is not a readable pickle: {reason} (at byte {offset}).");
}
