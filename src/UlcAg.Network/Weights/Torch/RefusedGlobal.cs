using Razorvine.Pickle;

namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// Takes the place of a constructor that Razorvine.Pickle registers on its own (complex, array,
/// bytearray, set, datetime, decimal, ...): those globals are not in <see cref="TorchGlobals"/>,
/// so calling one, or leaving one in the loaded object, is refused like any other.
/// </summary>
internal sealed class RefusedGlobal(string fullName) : IObjectConstructor
{
    public string FullName { get; } = fullName;

    object IObjectConstructor.construct(object[] args) => throw PickleContentException.Refused(FullName);

    public override string ToString() => FullName;
}
