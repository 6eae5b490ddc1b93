using System.Collections;

namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// A <c>collections.OrderedDict</c>. Razorvine.Pickle fills dictionaries through
/// <see cref="Hashtable"/> (SETITEM, SETITEMS) and applies BUILD by calling a <c>__setstate__</c>
/// method; the state of a state dict is its <c>_metadata</c> (module versions), kept only so that
/// it is checked with the rest of the loaded object.
/// </summary>
[Serializable]
internal sealed class PickledOrderedDictionary : Hashtable
{
    public Hashtable? State { get; private set; }

#pragma warning disable IDE1006 // The name is the one Razorvine.Pickle looks up for BUILD.
    public void __setstate__(Hashtable state) => State = state;
#pragma warning restore IDE1006
}
