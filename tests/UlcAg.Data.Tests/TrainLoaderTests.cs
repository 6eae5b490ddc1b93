using UlcAg.Data.Cache;
using UlcAg.Data.Faces;
using UlcAg.Data.Loading;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class TrainLoaderTests
{
    private const int Size = 20;

    private static readonly AugmentOptions _allOn = new()
    {
        Crop = CropMode.Resized,
        Scale = [0.3, 1.0],
        Flip = true,
        Erase = 0.7,
    };

    private readonly TempDirectory _temp = new();
    private ImageCache? _cache;

    [TestCleanup]
    public void Cleanup()
    {
        _cache?.Dispose();
        _temp.Dispose();
    }

    [TestMethod]
    public void SameSeed_GivesIdenticalBytes_WhateverTheWorkerCount()
    {
        var cache = Cache(50);
        var reference = Collect(new TrainLoader(cache, Options(workers: 0)), epochs: 2);
        foreach (var (workers, prefetch) in new[] { (1, 1), (2, 4), (3, 2) })
        {
            var run = Collect(new TrainLoader(cache, Options(workers) with { Prefetch = prefetch }), epochs: 2);
            Assert.HasCount(reference.Count, run);
            for (var i = 0; i < run.Count; i++)
            {
                CollectionAssert.AreEqual(reference[i].Indices, run[i].Indices, $"workers {workers}, batch {i}");
                CollectionAssert.AreEqual(reference[i].Images, run[i].Images, $"workers {workers}, batch {i}");
            }
        }
    }

    [TestMethod]
    public void DifferentSeed_GivesADifferentOrder()
    {
        var cache = Cache(50);
        var a = new TrainLoader(cache, Options(0)).EpochOrder(0);
        var b = new TrainLoader(cache, Options(0) with { Seed = 43 }).EpochOrder(0);
        CollectionAssert.AreNotEqual(a, b);
    }

    [TestMethod]
    public void LastPartialBatch_IsDropped()
    {
        var cache = Cache(50);
        var loader = new TrainLoader(cache, Options(2));
        Assert.AreEqual(3, loader.BatchesPerEpoch);

        var batches = Collect(loader, epochs: 1);

        Assert.HasCount(3, batches);
        var seen = batches.SelectMany(b => b.Indices).ToList();
        Assert.HasCount(48, seen);
        Assert.HasCount(48, seen.Distinct());
        Assert.IsTrue(batches.All(b => b.Images.Length == 16 * Size * Size * 3));
        CollectionAssert.AreEqual(loader.EpochOrder(0).Take(48).ToArray(), seen.ToArray());
    }

    [TestMethod]
    public void EachEpoch_IsANewPermutationOfAllHeldSamples()
    {
        var cache = Cache(50);
        var loader = new TrainLoader(cache, Options(0));
        var first = loader.EpochOrder(0);
        var second = loader.EpochOrder(1);
        CollectionAssert.AreNotEqual(first, second);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 50).ToArray(), first);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 50).ToArray(), second);
        CollectionAssert.AreEqual(first, new TrainLoader(cache, Options(2)).EpochOrder(0));
    }

    [TestMethod]
    public void ResumingAtABatch_YieldsWhatAnUninterruptedRunWould()
    {
        var cache = Cache(50);
        var uninterrupted = Collect(new TrainLoader(cache, Options(2)), epochs: 2);

        var loader = new TrainLoader(cache, Options(2));
        var resumed = loader.Epoch(1, startBatch: 1).Select(Copy).ToList();

        Assert.HasCount(2, resumed);
        for (var i = 0; i < 2; i++)
        {
            Assert.AreEqual(1, resumed[i].Epoch);
            Assert.AreEqual(i + 1, resumed[i].BatchIndex);
            CollectionAssert.AreEqual(uninterrupted[4 + i].Indices, resumed[i].Indices);
            CollectionAssert.AreEqual(uninterrupted[4 + i].Images, resumed[i].Images);
        }
    }

    [TestMethod]
    public void WithoutAugmentation_BatchesHoldTheCachedPixels()
    {
        var cache = Cache(20);
        var loader = new TrainLoader(cache, Options(2) with { Augment = AugmentOptions.None });
        foreach (var batch in loader.Epoch(0))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                CollectionAssert.AreEqual(cache.GetImage(cache.SlotOf(batch.Indices[i])).ToArray(), batch.Image(i).ToArray());
            }
        }
    }

    [TestMethod]
    public void Flip_MirrorsSomeImagesAndLeavesTheOthers()
    {
        var cache = Cache(16);
        var loader = new TrainLoader(cache, Options(1) with { Augment = AugmentOptions.None with { Flip = true } });
        var batch = Copy(loader.Epoch(0).First());

        var mirrored = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var source = cache.GetImage(cache.SlotOf(batch.Indices[i])).ToArray();
            var image = batch.Image(i).ToArray();
            if (image.SequenceEqual(source))
            {
                continue;
            }

            mirrored++;
            for (var y = 0; y < Size; y++)
            {
                for (var x = 0; x < Size; x++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        Assert.AreEqual(source[(((y * Size) + x) * 3) + c], image[(((y * Size) + (Size - 1 - x)) * 3) + c]);
                    }
                }
            }
        }

        Assert.IsTrue(mirrored > 0 && mirrored < batch.Count, $"{mirrored} of {batch.Count} images mirrored; expected some, not all");
    }

    [TestMethod]
    public void Augmentation_KeepsTheShapeAndChangesPixels()
    {
        var cache = Cache(32);
        foreach (var crop in new[] { CropMode.Resized, CropMode.Pad })
        {
            var loader = new TrainLoader(cache, Options(2) with { Augment = _allOn with { Crop = crop } });
            var batches = Collect(loader, epochs: 1);
            Assert.HasCount(2, batches);
            var changed = 0;
            foreach (var batch in batches)
            {
                Assert.AreEqual(16 * Size * Size * 3, batch.Images.Length);
                Assert.AreEqual(Size, batch.Height);
                for (var i = 0; i < batch.Count; i++)
                {
                    changed += cache.GetImage(cache.SlotOf(batch.Indices[i])).SequenceEqual(batch.Image(i)) ? 0 : 1;
                }
            }

            Assert.IsGreaterThan(28, changed, $"{crop}: nearly every image should be augmented");
        }
    }

    [TestMethod]
    public void ReusedBuffers_AreRecycled_AndFreshBuffersAreNot()
    {
        var cache = Cache(64);
        var reused = new TrainLoader(cache, Options(1) with { BatchSize = 4, Prefetch = 1 }).Epoch(0).Select(b => b.Images).ToList();
        Assert.IsLessThan(reused.Count, reused.Distinct().Count());

        var fresh = new TrainLoader(cache, Options(1) with { BatchSize = 4, Prefetch = 1, ReuseBuffers = false }).Epoch(0).Select(b => b.Images).ToList();
        Assert.AreEqual(fresh.Count, fresh.Distinct().Count());
    }

    [TestMethod]
    public void Cancellation_StopsTheEpoch()
    {
        var cache = Cache(64);
        using var cts = new CancellationTokenSource();
        var loader = new TrainLoader(cache, Options(2) with { BatchSize = 4 });
        var taken = 0;
        Assert.ThrowsExactly<OperationCanceledException>(() =>
        {
            foreach (var unused in loader.Epoch(0, cancellation: cts.Token))
            {
                if (++taken == 3)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.AreEqual(3, taken);
    }

    [TestMethod]
    public void WorkerErrors_ReachTheConsumer()
    {
        var cache = Cache(32);
        var loader = new TrainLoader(cache, Options(2));
        cache.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => loader.Epoch(0).ToList());
    }

    [TestMethod]
    public void InvalidSettings_AreRejected()
    {
        var cache = Cache(8);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrainLoader(cache, Options(0) with { BatchSize = 0 }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrainLoader(cache, Options(0) with { Augment = _allOn with { Scale = [0, 1.0] } }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrainLoader(cache, Options(0) with { Augment = _allOn with { Erase = 1.5 } }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrainLoader(cache, Options(0)).Epoch(0, startBatch: 5));
    }

    private static TrainLoaderOptions Options(int workers) =>
        new() { BatchSize = 16, Seed = 42, Workers = workers, Prefetch = 3, Augment = _allOn };

    private ImageCache Cache(int count)
    {
        var split = FaceTestImages.RandomPixelSplit(count, Size);
        _cache = ImageCache.OpenOrBuild(split, new CacheSettings { Faces = new FacePipelineOptions { Size = Size, Mode = AlignMode.Resize } }, _temp.Path);
        return _cache;
    }

    private static List<Snapshot> Collect(TrainLoader loader, int epochs)
    {
        var all = new List<Snapshot>();
        for (var e = 0; e < epochs; e++)
        {
            all.AddRange(loader.Epoch(e).Select(Copy));
        }

        return all;
    }

    // Batches may share recycled arrays, so tests keep copies.
    private static Snapshot Copy(LoaderBatch b) => new(b.Epoch, b.BatchIndex, (int[])b.Indices.Clone(), (byte[])b.Images.Clone(), b.Height);

    private sealed record Snapshot(int Epoch, int BatchIndex, int[] Indices, byte[] Images, int Height)
    {
        public int Count => Indices.Length;

        public ReadOnlySpan<byte> Image(int i) => Images.AsSpan(i * Size * Size * 3, Size * Size * 3);
    }
}
