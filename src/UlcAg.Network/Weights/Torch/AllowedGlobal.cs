using Razorvine.Pickle;

namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// A global of <see cref="TorchGlobals"/>: what the pickle's GLOBAL opcode pushes for it, and,
/// for a function or class, what calling it (REDUCE, NEWOBJ) builds. Storage classes and dtypes
/// have no call: they only appear as values.
/// </summary>
internal sealed class AllowedGlobal(string module, string name, Func<AllowedGlobal, object?[], object?>? call, ElementType? elementType)
    : IObjectConstructor
{
    public string Module { get; } = module;

    public string Name { get; } = name;

    public string FullName => $"{Module}.{Name}";

    /// <summary>The element type a storage class or dtype stands for; null for functions.</summary>
    public ElementType? ElementType { get; } = elementType;

    object? IObjectConstructor.construct(object?[] args)
    {
        if (call is null)
        {
            throw new PickleContentException($"the pickle calls {FullName}, which a checkpoint only holds as a value.");
        }

        // Arguments that a call drops (hooks, state) are checked here; the rest again in the result.
        TorchUnpickler.EnsureAllowed(args);
        return call(this, args);
    }

    public override string ToString() => FullName;
}
