namespace UlcAg.Network.Weights.Pickle;

/// <summary>
/// Gives meaning to the pickle opcodes that construct objects, so the machine itself stays a pure
/// interpreter of Python's pickle format that never runs code.
/// </summary>
internal interface IPickleResolver
{
    /// <summary>REDUCE / NEWOBJ: the object that calling <paramref name="callable"/> with <paramref name="args"/> would build.</summary>
    object? Call(object? callable, PyTuple args);

    /// <summary>BUILD: applies <paramref name="state"/> to <paramref name="target"/> (usually by ignoring it).</summary>
    void Build(object? target, object? state);

    /// <summary>BINPERSID / PERSID: the object a persistent id refers to (a tensor storage in torch files).</summary>
    object? PersistentLoad(object? persistentId);
}
