using System.Text;
using UlcAg.Network.Weights.Pickle;

namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// The Python objects a torch.save state dict is made of: tensors rebuilt from storages,
/// parameters, ordered dicts, sizes and dtypes. Any other global becomes an
/// <see cref="UnsupportedObject"/>, which is an error only where tensors are read.
/// </summary>
internal sealed class TorchObjectResolver(Func<string, ElementType, long, TorchStorage> loadStorage, string source) : IPickleResolver
{
    private readonly Dictionary<string, TorchStorage> _storages = new(StringComparer.Ordinal);

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

    public object? Call(object? callable, PyTuple args)
    {
        if (callable is UnsupportedObject unsupported)
        {
            return unsupported;
        }

        if (callable is not PyGlobal global)
        {
            throw new WeightsException($"{source}: the pickle calls a {callable?.GetType().Name ?? "None"}, which is not a global function or class.");
        }

        switch (global.Module, global.Name)
        {
            case ("collections", "OrderedDict"):
            case ("builtins", "dict"):
            case ("__builtin__", "dict"):
                return NewDict(args, global);
            case ("torch._utils", "_rebuild_tensor"):
            case ("torch._utils", "_rebuild_tensor_v2"):
                return RebuildTensor(args, global, explicitType: null);
            case ("torch._utils", "_rebuild_tensor_v3"):
                return RebuildTensor(args, global, explicitType: Arg<PyGlobal>(args, 6, global, "dtype"));
            case ("torch._utils", "_rebuild_parameter"):
            case ("torch._utils", "_rebuild_parameter_with_state"):
                // A Parameter is its data tensor; requires_grad and hooks do not matter here.
                return Arg<object>(args, 0, global, "data");
            case ("torch", "Size"):
                return args.Count == 0 ? PyTuple.Empty : args[0];
            case ("_codecs", "encode"):
                // Protocol 2 pickles Python 3 bytes as _codecs.encode(text, "latin1").
                return Encoding.Latin1.GetBytes(Arg<string>(args, 0, global, "text"));
            default:
                return new UnsupportedObject(global);
        }
    }

    public void Build(object? target, object? state)
    {
        // BUILD sets instance attributes: OrderedDict._metadata of a state_dict (module versions),
        // Parameter state. None of them change tensor values.
    }

    public object? PersistentLoad(object? persistentId)
    {
        // torch.save: ('storage', storage_type, key, location, numel)
        if (persistentId is not PyTuple { Count: 5 } id || id[0] is not string kind || kind != "storage")
        {
            throw new WeightsException($"{source}: unsupported persistent id {persistentId}; expected ('storage', type, key, location, numel).");
        }

        if (id[1] is not PyGlobal storageType || !StorageTypes.TryGetValue(storageType.Name, out var type)
            || storageType.Module is not ("torch" or "torch.storage" or "torch.cuda"))
        {
            throw new WeightsException($"{source}: unsupported storage type '{id[1]}' (supported: torch.FloatStorage, HalfStorage, BFloat16Storage, DoubleStorage, LongStorage, IntStorage, ShortStorage, CharStorage, ByteStorage, BoolStorage, UntypedStorage).");
        }

        if (id[2] is not string key || id[4] is not long numel)
        {
            throw new WeightsException($"{source}: malformed storage id {id}: the key must be a string and numel an integer.");
        }

        if (!_storages.TryGetValue(key, out var storage))
        {
            storage = loadStorage(key, type, numel);
            _storages[key] = storage;
        }

        return storage;
    }

    private object NewDict(PyTuple args, PyGlobal global)
    {
        var dict = new OrderedDictionary<object, object?>();
        if (args.Count == 0)
        {
            return dict;
        }

        if (args[0] is not List<object?> pairs)
        {
            return new UnsupportedObject(global);
        }

        foreach (var pair in pairs)
        {
            if (pair is PyTuple { Count: 2 } tuple && tuple[0] is { } key)
            {
                dict[key] = tuple[1];
            }
            else
            {
                return new UnsupportedObject(global);
            }
        }

        return dict;
    }

    private object RebuildTensor(PyTuple args, PyGlobal global, PyGlobal? explicitType)
    {
        var storageArg = Arg<object>(args, 0, global, "storage");
        if (storageArg is UnsupportedObject unsupported)
        {
            return unsupported;
        }

        if (storageArg is not TorchStorage storage)
        {
            throw new WeightsException($"{source}: {global} expects a storage as its first argument, found {storageArg.GetType().Name}.");
        }

        var type = storage.Type;
        if (explicitType is not null && !(explicitType.Module == "torch" && DTypes.TryGetValue(explicitType.Name, out type)))
        {
            throw new WeightsException($"{source}: tensor dtype '{explicitType}' is not supported.");
        }

        var offset = Arg<long>(args, 1, global, "storage_offset");
        var size = Longs(Arg<PyTuple>(args, 2, global, "size"), global, "size");
        var stride = Longs(Arg<PyTuple>(args, 3, global, "stride"), global, "stride");
        return TorchTensorBuilder.Build(storage, type, offset, size, stride, source);
    }

    private long[] Longs(PyTuple tuple, PyGlobal global, string what) =>
        [.. tuple.Items.Select(item => item is long value ? value : throw new WeightsException($"{source}: {global} {what} holds {item}, not an integer."))];

    private T Arg<T>(PyTuple args, int index, PyGlobal global, string what)
    {
        if (index >= args.Count)
        {
            throw new WeightsException($"{source}: {global} is called with {args.Count} arguments; argument {index} ({what}) is missing.");
        }

        return args[index] is T value
            ? value
            : throw new WeightsException($"{source}: {global} argument {index} ({what}) is {args[index]?.GetType().Name ?? "None"}, expected {typeof(T).Name}.");
    }
}
