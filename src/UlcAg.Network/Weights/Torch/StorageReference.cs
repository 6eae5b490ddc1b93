namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// A storage named by a persistent id: its key in the checkpoint, the element type of its class
/// and its element count. The data is read only when a tensor of the state dict needs it.
/// </summary>
/// <param name="Key">The storage key (an archive entry name, or a legacy file's object id).</param>
/// <param name="Type">The element type of the storage class that first named the key.</param>
/// <param name="Numel">The number of elements of <paramref name="Type"/>.</param>
internal sealed record StorageReference(string Key, ElementType Type, long Numel)
{
    /// <summary>For a view (legacy files): the storage it is a slice of; null for a whole storage.</summary>
    public StorageReference? Root { get; init; }

    /// <summary>For a view: the index of its first element in <see cref="Root"/>.</summary>
    public long Offset { get; init; }
}
