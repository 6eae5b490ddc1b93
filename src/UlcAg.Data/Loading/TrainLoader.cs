using UlcAg.Data.Cache;

namespace UlcAg.Data.Loading;

/// <summary>
/// Training batches from an <see cref="ImageCache"/>: a seeded shuffle per epoch, fixed-size batches
/// (the last partial batch is dropped, as the training graph has a static batch size), augmentation
/// on worker threads, and a bounded prefetch queue.
/// </summary>
/// <remarks>
/// Reproducibility: the epoch's order comes from (seed, epoch) and sample i of batch b draws its
/// augmentation from a generator seeded by (seed, epoch, b, i). The bytes of every batch therefore
/// do not depend on the number of workers, and <see cref="Epoch"/> with a start batch yields exactly
/// the batches an uninterrupted run would have yielded from that point.
/// </remarks>
public sealed class TrainLoader
{
    private const long ShuffleStream = 1;
    private const long AugmentStream = 2;

    private readonly ImageCache _cache;
    private readonly TrainLoaderOptions _options;
    private readonly Augmenter _augmenter;

    /// <summary>Creates the loader; the cache must stay open while batches are drawn.</summary>
    public TrainLoader(ImageCache cache, TrainLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _cache = cache;
        _options = options;
        _augmenter = new Augmenter(options.Augment, cache.Height, cache.Width);
    }

    /// <summary>The settings.</summary>
    public TrainLoaderOptions Options => _options;

    /// <summary>Full batches per epoch: the cached image count divided by the batch size, rounded down.</summary>
    public int BatchesPerEpoch => _cache.Count / _options.BatchSize;

    /// <summary>The sample indices of <paramref name="epoch"/> in the order batches take them (all held samples, including the dropped tail).</summary>
    public int[] EpochOrder(int epoch)
    {
        var slots = SlotOrder(epoch);
        var indices = new int[slots.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            indices[i] = _cache.SampleIndices[slots[i]];
        }

        return indices;
    }

    /// <summary>
    /// The batches of <paramref name="epoch"/>, starting at batch <paramref name="startBatch"/> (to resume
    /// a run). Worker threads start when enumeration starts and stop when the enumerator is disposed.
    /// With <see cref="TrainLoaderOptions.ReuseBuffers"/>, a batch is valid until the next MoveNext.
    /// </summary>
    public IEnumerable<LoaderBatch> Epoch(int epoch, int startBatch = 0, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(startBatch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(startBatch, BatchesPerEpoch);
        return Run(epoch, startBatch, cancellation);
    }

    private IEnumerable<LoaderBatch> Run(int epoch, int startBatch, CancellationToken cancellation)
    {
        var order = SlotOrder(epoch);
        var end = BatchesPerEpoch;
        using var prefetcher = new BatchPrefetcher(
            startBatch, end, _options.Workers, _options.Prefetch,
            () => new LoaderBatch(_options.BatchSize, _cache.Height, _cache.Width),
            (b, batch) => Fill(epoch, order, b, batch),
            _options.ReuseBuffers, cancellation);
        for (var b = startBatch; b < end; b++)
        {
            var batch = prefetcher.Take(b);
            yield return batch;
            prefetcher.Release(b, batch);
        }
    }

    private void Fill(int epoch, int[] order, int b, LoaderBatch batch)
    {
        batch.Epoch = epoch;
        batch.BatchIndex = b;
        var size = _options.BatchSize;
        for (var i = 0; i < size; i++)
        {
            var slot = order[(b * size) + i];
            batch.Indices[i] = _cache.SampleIndices[slot];
            var rng = SeededRandom.For(_options.Seed, AugmentStream, epoch, b, i);
            _augmenter.Apply(_cache.GetImage(slot), batch.Image(i), rng);
        }
    }

    private int[] SlotOrder(int epoch)
    {
        var order = new int[_cache.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Fisher-Yates with a generator of its own per epoch.
        var rng = SeededRandom.For(_options.Seed, ShuffleStream, epoch);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
