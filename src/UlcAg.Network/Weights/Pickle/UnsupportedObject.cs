namespace UlcAg.Network.Weights.Pickle;

/// <summary>
/// Stands for a Python object built by a global the reader does not support. It is harmless
/// while it sits in a part of the checkpoint that is ignored (an optimizer, saved arguments), and
/// becomes an error naming <see cref="Global"/> where tensors are read.
/// </summary>
internal sealed record UnsupportedObject(PyGlobal Global)
{
    public override string ToString() => $"<{Global}>";
}
