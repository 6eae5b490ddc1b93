namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// The storages of one checkpoint as tensors need them: each whole storage is read once, and a
/// view (legacy files) is a copy of its elements of the whole storage.
/// </summary>
internal sealed class StorageCache(Func<StorageReference, TorchStorage> loadWhole, string path)
{
    private readonly Dictionary<string, TorchStorage> _loaded = new(StringComparer.Ordinal);

    public TorchStorage Get(StorageReference reference)
    {
        if (!_loaded.TryGetValue(reference.Key, out var storage))
        {
            storage = reference.Root is null ? loadWhole(reference) : Slice(Get(reference.Root), reference);
            _loaded.Add(reference.Key, storage);
        }

        return storage;
    }

    private TorchStorage Slice(TorchStorage root, StorageReference view)
    {
        var size = ElementDecoder.SizeOf(view.Type);
        var end = view.Offset + view.Numel;
        if (view.Offset < 0 || view.Numel < 0 || end > root.Bytes.Length / size)
        {
            throw new WeightsException(
                $"Checkpoint '{path}': view '{view.Key}' covers elements {view.Offset} to {end} of storage '{root.Key}', which holds {root.Bytes.Length / size}.");
        }

        return new TorchStorage(view.Key, view.Type, root.Bytes[(int)(view.Offset * size)..(int)(end * size)]);
    }
}
