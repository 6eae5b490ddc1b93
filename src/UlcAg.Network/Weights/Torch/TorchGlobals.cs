using System.Collections;
using System.Numerics;
using System.Text;

namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// The Python globals a checkpoint may name, and what each one builds: tensors rebuilt from
/// storages, parameters, ordered dicts, sizes, bytes, and the storage classes and dtypes that
/// appear as plain values. This table is everything a pickle can make the reader do; any other
/// global is refused (<see cref="TorchUnpickler"/>).
/// </summary>
internal static class TorchGlobals
{
    /// <summary>Storage classes named in persistent ids and the element type of their data.</summary>
    private static readonly Dictionary<string, ElementType> StorageTypes = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = ElementType.Float32,
        ["HalfStorage"] = ElementType.Float16,
        ["BFloat16Storage"] = ElementType.BFloat16,
        ["DoubleStorage"] = ElementType.Float64,
        ["LongStorage"] = ElementType.Int64,
        ["IntStorage"] = ElementType.Int32,
        ["ShortStorage"] = ElementType.Int16,
        ["CharStorage"] = ElementType.Int8,
        ["ByteStorage"] = ElementType.UInt8,
        ["BoolStorage"] = ElementType.Bool,

        // torch 2.x untyped storages hold bytes; the tensor's dtype comes from _rebuild_tensor_v3.
        ["UntypedStorage"] = ElementType.UInt8,
    };

    /// <summary>Modules the storage classes are pickled from (<c>torch.cuda</c> for GPU checkpoints).</summary>
    private static readonly string[] StorageModules = ["torch", "torch.cuda", "torch.storage"];

    /// <summary>torch dtype objects (pickled as globals such as <c>torch.float32</c>).</summary>
    private static readonly Dictionary<string, ElementType> DTypes = new(StringComparer.Ordinal)
    {
        ["float32"] = ElementType.Float32,
        ["float"] = ElementType.Float32,
        ["float16"] = ElementType.Float16,
        ["half"] = ElementType.Float16,
        ["bfloat16"] = ElementType.BFloat16,
        ["float64"] = ElementType.Float64,
        ["double"] = ElementType.Float64,
        ["int64"] = ElementType.Int64,
        ["long"] = ElementType.Int64,
        ["int32"] = ElementType.Int32,
        ["int"] = ElementType.Int32,
        ["int16"] = ElementType.Int16,
        ["short"] = ElementType.Int16,
        ["int8"] = ElementType.Int8,
        ["uint8"] = ElementType.UInt8,
        ["bool"] = ElementType.Bool,
    };

    /// <summary>Every allowed global by its full name, <c>module.name</c>.</summary>
    public static IReadOnlyDictionary<string, AllowedGlobal> All { get; } = CreateTable();

    /// <summary>The allowed globals in a sentence, for error messages.</summary>
    public const string Summary =
        "torch._utils._rebuild_tensor(_v2/_v3) and _rebuild_parameter(_with_state), collections.OrderedDict, " +
        "torch.Size, _codecs.encode, and torch storage classes and dtypes";

    private static Dictionary<string, AllowedGlobal> CreateTable()
    {
        var table = new Dictionary<string, AllowedGlobal>(StringComparer.Ordinal);
        void Add(string module, string name, Func<AllowedGlobal, object?[], object?>? call, ElementType? elementType = null)
        {
            var global = new AllowedGlobal(module, name, call, elementType);
            table.Add(global.FullName, global);
        }

        Add("collections", "OrderedDict", NewDict);
        Add("builtins", "dict", NewDict);
        Add("__builtin__", "dict", NewDict);
        Add("torch._utils", "_rebuild_tensor", (g, args) => RebuildTensor(g, args, dtypeIndex: null));
        Add("torch._utils", "_rebuild_tensor_v2", (g, args) => RebuildTensor(g, args, dtypeIndex: null));
        Add("torch._utils", "_rebuild_tensor_v3", (g, args) => RebuildTensor(g, args, dtypeIndex: 6));

        // A Parameter is its data tensor; requires_grad and hooks do not matter here.
        Add("torch._utils", "_rebuild_parameter", (g, args) => Arg<TensorView>(g, args, 0, "data"));
        Add("torch._utils", "_rebuild_parameter_with_state", (g, args) => Arg<TensorView>(g, args, 0, "data"));
        Add("torch", "Size", (g, args) => args.Length == 0 ? Array.Empty<object?>() : Arg<object?[]>(g, args, 0, "sizes"));

        // Protocol 2 pickles Python 3 bytes as _codecs.encode(text, "latin1").
        Add("_codecs", "encode", (g, args) => Encoding.Latin1.GetBytes(Arg<string>(g, args, 0, "text")));

        // Values, never called: storage classes (in persistent ids) and dtypes (in _rebuild_tensor_v3).
        foreach (var module in StorageModules)
        {
            foreach (var (name, type) in StorageTypes)
            {
                Add(module, name, call: null, type);
            }
        }

        foreach (var (name, type) in DTypes)
        {
            Add("torch", name, call: null, type);
        }

        return table;
    }

    // OrderedDict() or OrderedDict([(key, value), ...]); SETITEMS fills the empty one.
    private static PickledOrderedDictionary NewDict(AllowedGlobal global, object?[] args)
    {
        var dict = new PickledOrderedDictionary();
        if (args.Length == 0)
        {
            return dict;
        }

        foreach (var pair in Arg<ArrayList>(global, args, 0, "items"))
        {
            if (pair is not object?[] { Length: 2 } tuple || tuple[0] is null)
            {
                throw new PickleContentException($"{global} is given an item that is not a (key, value) pair.");
            }

            dict[tuple[0]!] = tuple[1];
        }

        return dict;
    }

    // _rebuild_tensor(storage, storage_offset, size, stride, ...); v3 adds the dtype at index 6.
    private static TensorView RebuildTensor(AllowedGlobal global, object?[] args, int? dtypeIndex)
    {
        var storage = Arg<StorageReference>(global, args, 0, "storage");
        var type = storage.Type;
        if (dtypeIndex is { } index)
        {
            var dtype = Arg<AllowedGlobal>(global, args, index, "dtype");
            type = dtype.Module == "torch" && dtype.ElementType is { } explicitType && DTypes.ContainsKey(dtype.Name)
                ? explicitType
                : throw new PickleContentException($"{global} is given '{dtype}' as its dtype, which is not a torch dtype.");
        }

        var offset = ToLong(Arg<object>(global, args, 1, "storage_offset"), global, "storage_offset");
        var size = Longs(Arg<object?[]>(global, args, 2, "size"), global, "size");
        var stride = Longs(Arg<object?[]>(global, args, 3, "stride"), global, "stride");
        return new TensorView(storage, type, offset, size, stride);
    }

    /// <summary>Whether <paramref name="value"/> is one of the storage classes, and its element type.</summary>
    public static bool IsStorageType(object? value, out ElementType type)
    {
        if (value is AllowedGlobal { ElementType: { } elementType } global
            && StorageModules.Contains(global.Module) && StorageTypes.ContainsKey(global.Name))
        {
            type = elementType;
            return true;
        }

        type = default;
        return false;
    }

    /// <summary>A pickled integer (int, long or a small big integer) as a <see cref="long"/>.</summary>
    public static long ToLong(object? value, object what, string name) => value switch
    {
        int i => i,
        long l => l,
        BigInteger b when b >= long.MinValue && b <= long.MaxValue => (long)b,
        _ => throw new PickleContentException($"{what} {name} is {Describe(value)}, not an integer."),
    };

    private static long[] Longs(object?[] tuple, AllowedGlobal global, string what) =>
        [.. tuple.Select(item => ToLong(item, global, what))];

    private static T Arg<T>(AllowedGlobal global, object?[] args, int index, string what)
    {
        if (index >= args.Length)
        {
            throw new PickleContentException($"{global} is called with {args.Length} arguments; argument {index} ({what}) is missing.");
        }

        return args[index] is T value
            ? value
            : throw new PickleContentException($"{global} argument {index} ({what}) is {Describe(args[index])}, expected {typeof(T).Name}.");
    }

    private static string Describe(object? value) => value?.GetType().Name ?? "None";
}
