using System.Collections;
using System.Numerics;
using System.Text.RegularExpressions;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;

namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// Unpickles the pickles of a torch.save file with Razorvine.Pickle, allowing only the globals of
/// <see cref="TorchGlobals"/> and turning persistent ids into <see cref="StorageReference"/>s.
/// </summary>
/// <remarks>
/// <para>
/// Python's pickle format is a small stack machine with some 70 opcodes across protocols 0-5;
/// Razorvine.Pickle implements all of them and is tested against CPython's output, so the reader
/// uses it instead of an interpreter of its own.
/// </para>
/// <para>
/// Loading never runs code. Razorvine.Pickle never imports a Python module nor calls a .NET type
/// that the pickle names: a GLOBAL opcode only looks its name up in a table of constructors, and
/// BUILD only calls a <c>__setstate__</c> method of an object already built. Every entry of that
/// table is made to be one of ours: the globals of <see cref="TorchGlobals"/>, and a
/// <see cref="RefusedGlobal"/> in place of each constructor the library registers on its own.
/// For a name not in the table the library pushes a <see cref="ClassDictConstructor"/>, which
/// would build a <see cref="ClassDict"/> (a dictionary of the object's attributes) or fail when
/// called with arguments; an exception class gives a <see cref="PythonException"/>. None of them
/// is accepted: a refused global is an error as soon as the pickle calls it, passes it to an
/// allowed global, or leaves it anywhere in the loaded object (<see cref="EnsureAllowed"/>), and
/// the <see cref="WeightsException"/> names the file and the global.
/// </para>
/// </remarks>
internal sealed partial class TorchUnpickler : Unpickler
{
    private readonly Dictionary<string, StorageReference> _roots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StorageReference> _views = new(StringComparer.Ordinal);

    // Razorvine.Pickle's constructor table is static: this runs once, before any load.
    static TorchUnpickler()
    {
        foreach (var name in objectConstructors.Keys.ToList())
        {
            if (!TorchGlobals.All.ContainsKey(name))
            {
                objectConstructors[name] = new RefusedGlobal(name);
            }
        }

        foreach (var global in TorchGlobals.All.Values)
        {
            registerConstructor(global.Module, global.Name, global);
        }
    }

    /// <summary>The whole storages the persistent ids named so far, by key, as first named.</summary>
    public IReadOnlyDictionary<string, StorageReference> Storages => _roots;

    /// <summary>Reads one pickle from the current position of <paramref name="stream"/>, up to and including its STOP opcode.</summary>
    /// <param name="stream">Positioned at the pickle; left just after it.</param>
    /// <param name="source">Names the pickle in error messages (file and entry).</param>
    /// <exception cref="WeightsException">The pickle names a global that is not allowed, is malformed, or holds an unsupported persistent id.</exception>
    public object? Load(Stream stream, string source)
    {
        var start = stream.Position;
        try
        {
            var result = load(stream);
            EnsureAllowed(result);
            return result;
        }
        catch (PickleContentException e)
        {
            throw Translate(e, source);
        }
        catch (PickleException e) when (LibraryRefusal().Match(e.Message) is { Success: true } match)
        {
            throw Translate(PickleContentException.Refused(match.Groups["global"].Value), source);
        }
        catch (Exception e) when (e is not (WeightsException or OutOfMemoryException))
        {
            var reason = stream.CanSeek && stream.Position >= stream.Length
                ? "it ends before its STOP opcode"
                : e.InnerException is { } inner ? $"{e.Message} {inner.GetBaseException().Message}" : e.Message;
            throw new WeightsException($"{source} is not a readable pickle: {reason} (at byte {stream.Position - start}).", e);
        }
    }

    /// <summary>
    /// Throws unless <paramref name="value"/> and everything it holds is something the allowed
    /// globals or the pickle's own opcodes build: None, bool, int, float, str, bytes, tuples,
    /// lists, sets, dicts, tensors, storages, and the allowed globals themselves.
    /// </summary>
    /// <exception cref="PickleContentException">It holds an object built by, or standing for, another global.</exception>
    public static void EnsureAllowed(object? value)
    {
        var pending = new Stack<object?>([value]);
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        while (pending.TryPop(out var item))
        {
            if (item is null or string or bool or int or long or BigInteger or double or byte[]
                or TensorView or StorageReference or AllowedGlobal || !seen.Add(item))
            {
                continue;
            }

            switch (item)
            {
                case PickledOrderedDictionary dict:
                    pending.Push(dict.State);
                    PushEntries(pending, dict);
                    break;
                case Hashtable dict:
                    PushEntries(pending, dict);
                    break;
                case IEnumerable items when item is ArrayList or object[] or HashSet<object>:
                    foreach (var element in items)
                    {
                        pending.Push(element);
                    }

                    break;
                case ClassDictConstructor constructor:
                    throw PickleContentException.Refused($"{constructor.module}.{constructor.name}");
                case ClassDict instance:
                    throw PickleContentException.Refused(instance.ClassName);
                case PythonException exception:
                    throw PickleContentException.Refused(exception.PythonExceptionType);
                case RefusedGlobal refused:
                    throw PickleContentException.Refused(refused.FullName);
                default:
                    throw new PickleContentException(
                        $"the pickle holds a {item.GetType().Name}, which only a global that is not allowed builds (allowed: {TorchGlobals.Summary}).");
            }
        }
    }

    protected override object persistentLoad(object pid)
    {
        EnsureAllowed(pid);
        if (pid is object?[] { Length: > 0 } module && module[0] is "module")
        {
            throw new PickleContentException("the pickle holds the source code of an nn.Module class. Save model.state_dict() instead of the model.");
        }

        // ('storage', storage_type, key, location, numel), and in legacy files a sixth item:
        // None, or (view_key, offset, numel) for a slice of the storage.
        if (pid is not object?[] { Length: 5 or 6 } id || id[0] is not "storage" || id[2] is not string key)
        {
            throw new PickleContentException($"unsupported persistent id {Format(pid)}; expected ('storage', type, key, location, numel).");
        }

        if (!TorchGlobals.IsStorageType(id[1], out var type))
        {
            throw new PickleContentException(
                $"unsupported storage type {Format(id[1])} (supported: torch.FloatStorage, HalfStorage, BFloat16Storage, DoubleStorage, LongStorage, IntStorage, ShortStorage, CharStorage, ByteStorage, BoolStorage, UntypedStorage).");
        }

        // The first id of a key decides its element type, as torch.load does.
        if (!_roots.TryGetValue(key, out var root))
        {
            root = new StorageReference(key, type, TorchGlobals.ToLong(id[4], "storage", "numel"));
            _roots.Add(key, root);
        }

        if (id.Length == 5 || id[5] is null)
        {
            return root;
        }

        if (id[5] is not object?[] { Length: 3 } view || view[0] is not string viewKey)
        {
            throw new PickleContentException($"storage '{key}' has view metadata {Format(id[5])}; expected (view_key, offset, numel).");
        }

        if (!_views.TryGetValue(viewKey, out var slice))
        {
            var offset = TorchGlobals.ToLong(view[1], $"view '{viewKey}'", "offset");
            slice = new StorageReference(viewKey, root.Type, TorchGlobals.ToLong(view[2], $"view '{viewKey}'", "numel")) { Root = root, Offset = offset };
            _views.Add(viewKey, slice);
        }

        return slice;
    }

    private static void PushEntries(Stack<object?> pending, Hashtable dict)
    {
        foreach (DictionaryEntry entry in dict)
        {
            pending.Push(entry.Key);
            pending.Push(entry.Value);
        }
    }

    private static WeightsException Translate(PickleContentException e, string source) => e.Global is { } global
        ? new WeightsException(
            $"{source} names the Python global '{global}', which is not allowed: a checkpoint is read without running any of its code, " +
            $"so only {TorchGlobals.Summary} are understood. Save only tensors (e.g. model.state_dict()) to read it here.", e)
        : new WeightsException($"{source}: {e.Message}", e);

    private static string Format(object? value) => value switch
    {
        null => "None",
        string text => $"'{text}'",
        object?[] tuple => "(" + string.Join(", ", tuple.Select(Format)) + ")",
        _ => value.ToString() ?? value.GetType().Name,
    };

    // What Razorvine.Pickle's ClassDictConstructor says when a global it does not know is called
    // with arguments (GLOBAL, then REDUCE): "... construction of ClassDict (for os.system) ...".
    [GeneratedRegex(@"ClassDict \(for (?<global>[^)\s]+)\)")]
    private static partial Regex LibraryRefusal();
}
