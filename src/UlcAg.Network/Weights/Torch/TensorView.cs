namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// A tensor as <c>torch._utils._rebuild_tensor_v2</c> describes it: a strided view of a storage.
/// It is copied into a <see cref="HostTensor"/> only if the state dict keeps it.
/// </summary>
internal sealed class TensorView(StorageReference storage, ElementType type, long offset, long[] size, long[] stride)
{
    private static long _created;

    /// <summary>
    /// Increases with every tensor built, so tensors compare in pickle order: a dict's insertion
    /// order, which the unpickled dictionaries do not keep.
    /// </summary>
    public long Order { get; } = Interlocked.Increment(ref _created);

    public StorageReference Storage { get; } = storage;

    public ElementType Type { get; } = type;

    public long Offset { get; } = offset;

    public long[] Size { get; } = size;

    public long[] Stride { get; } = stride;
}
