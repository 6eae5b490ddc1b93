using UlcAg.Data.Cache;

namespace UlcAg.Data.Loading;

/// <summary>
/// Evaluation batches from an <see cref="ImageCache"/>: every held image once, in cache order
/// (ascending sample index), no augmentation, the last batch possibly smaller. Each batch has
/// fresh arrays that the caller may keep.
/// </summary>
public sealed class EvalLoader
{
    private readonly ImageCache _cache;

    /// <summary>Creates the loader; the cache must stay open while batches are drawn.</summary>
    public EvalLoader(ImageCache cache, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _cache = cache;
        BatchSize = batchSize;
    }

    /// <summary>Images per batch (the last batch may hold fewer).</summary>
    public int BatchSize { get; }

    /// <summary>Batches in one pass: the image count divided by the batch size, rounded up.</summary>
    public int BatchCount => (_cache.Count + BatchSize - 1) / BatchSize;

    /// <summary>All batches in order.</summary>
    public IEnumerable<LoaderBatch> Batches()
    {
        for (var b = 0; b < BatchCount; b++)
        {
            var first = b * BatchSize;
            var count = Math.Min(BatchSize, _cache.Count - first);
            var batch = new LoaderBatch(count, _cache.Height, _cache.Width) { BatchIndex = b };
            for (var i = 0; i < count; i++)
            {
                batch.Indices[i] = _cache.SampleIndices[first + i];
                _cache.GetImage(first + i).CopyTo(batch.Image(i));
            }

            yield return batch;
        }
    }
}
