namespace UlcAg.Network.Weights;

/// <summary>
/// A tensor a network expects: its name (PyTorch state-dict key), shape and kind, and the part of
/// the network it belongs to (the optimizer group of its layer, e.g. backbone; null where unknown).
/// </summary>
public sealed record ParameterSpec(string Name, long[] Shape, TensorKind Kind = TensorKind.Float32, string? Group = null)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name} {HostTensor.FormatShape(Shape)}";
}
