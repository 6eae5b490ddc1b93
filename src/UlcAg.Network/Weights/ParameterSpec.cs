namespace UlcAg.Network.Weights;

/// <summary>A tensor a network expects: its name (PyTorch state-dict key), shape and kind.</summary>
public sealed record ParameterSpec(string Name, long[] Shape, TensorKind Kind = TensorKind.Float32)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name} {HostTensor.FormatShape(Shape)}";
}
