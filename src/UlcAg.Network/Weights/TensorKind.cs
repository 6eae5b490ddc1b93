namespace UlcAg.Network.Weights;

/// <summary>
/// What a <see cref="HostTensor"/>'s values are, which decides how it is written back to a file.
/// Values are always held as <see cref="float"/>; integer tensors (e.g. a batch-norm
/// <c>num_batches_tracked</c> counter) keep <see cref="Int64"/> so that they round-trip as I64.
/// </summary>
public enum TensorKind
{
    /// <summary>Floating-point values, written as F32.</summary>
    Float32,

    /// <summary>Integer values, written as I64.</summary>
    Int64,
}
