using UlcAg.Data.Cache;
using UlcAg.Data.Faces;
using UlcAg.Data.Issues;
using UlcAg.Data.Loading;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class EvalLoaderTests
{
    private readonly TempDirectory _temp = new();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    [TestMethod]
    public void Batches_AreInOrder_WithTheLastOnePartial()
    {
        var split = FaceTestImages.RandomPixelSplit(23, 12);
        using var cache = ImageCache.OpenOrBuild(split, new CacheSettings { Faces = new FacePipelineOptions { Size = 12, Mode = AlignMode.Resize } }, _temp.Path);
        var loader = new EvalLoader(cache, batchSize: 10);

        var batches = loader.Batches().ToList();

        Assert.AreEqual(3, loader.BatchCount);
        CollectionAssert.AreEqual(new[] { 10, 10, 3 }, batches.Select(b => b.Count).ToArray());
        Assert.AreEqual(3 * 12 * 12 * 3, batches[2].Images.Length);
        CollectionAssert.AreEqual(Enumerable.Range(0, 23).ToArray(), batches.SelectMany(b => b.Indices).ToArray());
        for (var b = 0; b < batches.Count; b++)
        {
            Assert.AreEqual(b, batches[b].BatchIndex);
            for (var i = 0; i < batches[b].Count; i++)
            {
                CollectionAssert.AreEqual(cache.GetImage((b * 10) + i).ToArray(), batches[b].Image(i).ToArray());
            }
        }
    }

    [TestMethod]
    public void SkippedSamples_AreNotYielded_AndAnyBatchSizeWorks()
    {
        var split = FaceTestImages.RandomPixelSplit(5, 8);
        var broken = split with { Samples = [.. split.Samples.Select((s, i) => i == 1 ? s with { Image = new ImageSource.Pixels([1, 2], 8, 8, 3) } : s)] };
        var settings = new CacheSettings { Faces = new FacePipelineOptions { Size = 8, Mode = AlignMode.Resize }, OnDecodeError = IssuePolicy.Skip };
        using var cache = ImageCache.OpenOrBuild(broken, settings, _temp.Path);

        var single = new EvalLoader(cache, batchSize: 1).Batches().SelectMany(b => b.Indices).ToArray();
        var large = new EvalLoader(cache, batchSize: 100).Batches().ToList();

        CollectionAssert.AreEqual(new[] { 0, 2, 3, 4 }, single);
        Assert.HasCount(1, large);
        Assert.AreEqual(4, large[0].Count);
        StringAssert.Contains(cache.Report.Skipped[0].Reason, "expected 192 bytes");
        StringAssert.Contains(cache.Report.Skipped[0].Reason, "p1");
    }
}
