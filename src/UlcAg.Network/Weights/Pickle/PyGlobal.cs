namespace UlcAg.Network.Weights.Pickle;

/// <summary>A reference to a Python module attribute (pickle GLOBAL / STACK_GLOBAL), never imported.</summary>
internal sealed record PyGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}
