using System.Text.RegularExpressions;
using UlcAg.Data.Cache;
using UlcAg.Data.Faces;
using UlcAg.Data.Formats;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed partial class CacheBuildProgressTests
{
    [TestMethod]
    public void FolderDatasetOfRealPhotos_BuildPrintsProgress_AndParallelEqualsSequential()
    {
        // A folder dataset of real single-face photographs, in two class folders.
        using var fixture = new Fixture();
        var photos = RealFaces.Files.Take(8).ToList();
        for (var i = 0; i < photos.Count; i++)
        {
            var target = fixture.PathOf($"train/{(i % 2 == 0 ? "happy" : "sad")}/{Path.GetFileName(photos[i])}");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(photos[i], target);
        }

        var split = DatasetFactory.Create(fixture.Options(DataFormat.Folder)).Load("train");
        var settings = new CacheSettings { Faces = new FacePipelineOptions { Size = 64 }, Detector = FaceDetectorSpec.BlazeFace() };
        var lines = new List<string>();
        var progress = new CacheBuildProgress("cache train", split.Samples.Count, lines.Add, TimeSpan.Zero);

        using var parallel = ImageCache.OpenOrBuild(split, settings with { MaxDegreeOfParallelism = 2 }, fixture.PathOf("cache-parallel"), progress);
        using var sequential = ImageCache.OpenOrBuild(split, settings with { MaxDegreeOfParallelism = 1 }, fixture.PathOf("cache-sequential"));

        // With no interval every new count is a line, with rate and time left, then the last line.
        // Counts reach the progress out of order from the two workers; a lower one after a higher one is not shown.
        Assert.IsGreaterThanOrEqualTo(3, lines.Count, string.Join("\n", lines));
        var shown = 0;
        foreach (var line in lines.SkipLast(1))
        {
            var match = ProgressLine().Match(line);
            Assert.IsTrue(match.Success, line);
            var count = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.IsGreaterThan(shown, count, line);
            shown = count;
        }

        Assert.AreEqual(lines.Count, progress.Lines);
        Assert.MatchesRegex(@"^cache train: 8 photos in \d+(\.\d)? s, \d+\.\d photos/s$", lines[7]);

        // Every face found and aligned by its keypoints, the same bytes whichever the thread count.
        Assert.AreEqual(8, parallel.Report.ThreePoint);
        Assert.AreEqual(8, sequential.Report.ThreePoint);
        for (var i = 0; i < 8; i++)
        {
            CollectionAssert.AreEqual(sequential.GetImage(i).ToArray(), parallel.GetImage(i).ToArray(), $"photo {i}");
        }

        // A reused cache builds nothing, so it reports nothing.
        var again = new List<string>();
        using var reused = ImageCache.OpenOrBuild(split, settings, fixture.PathOf("cache-parallel"), new CacheBuildProgress("cache train", 8, again.Add, TimeSpan.Zero));
        Assert.IsTrue(reused.Report.Reused);
        Assert.IsEmpty(again);
    }

    [TestMethod]
    public void Lines_ComeOncePerInterval_WithRateAndTimeLeft_AndTheLastAlways()
    {
        var clock = new Clock();
        var lines = new List<string>();
        var progress = new CacheBuildProgress("cache train", 1000, lines.Add, TimeSpan.FromSeconds(5), clock);
        progress.Report(0);
        for (var done = 1; done <= 1000; done++)
        {
            // 250 photos/s: 4 ms each; counts may arrive out of order from the workers.
            clock.Advance(0.004);
            progress.Report(done);
            progress.Report(done - 1);
        }

        // 4 s in all: no interval passed, so only the last line.
        Assert.HasCount(1, lines);
        Assert.AreEqual("cache train: 1,000 photos in 4.0 s, 250.0 photos/s", lines[0]);

        lines.Clear();
        var slow = new CacheBuildProgress("cache val", 100, lines.Add, TimeSpan.FromSeconds(5), clock);
        slow.Report(0);
        for (var done = 1; done <= 100; done++)
        {
            clock.Advance(0.5);
            slow.Report(done);
        }

        // 2 photos/s: a line every 10 photos (5 s), the 100th is the last line.
        Assert.HasCount(10, lines);
        Assert.AreEqual("cache val: 10 / 100 photos (10.0%), 2.0 photos/s, 45 s left", lines[0]);
        Assert.AreEqual("cache val: 80 / 100 photos (80.0%), 2.0 photos/s, 10 s left", lines[7]);
        Assert.AreEqual("cache val: 100 photos in 50 s, 2.0 photos/s", lines[9]);
        Assert.AreEqual("cache x: 4,200 / 280,000 photos (1.5%), 200.0 photos/s, 22 min 59 s left", CacheBuildProgress.Line("cache x", 4200, 280_000, TimeSpan.FromSeconds(21)));
        Assert.AreEqual("cache x: 0 / 10 photos (0.0%), 0.0 photos/s, time left unknown", CacheBuildProgress.Line("cache x", 0, 10, TimeSpan.Zero));
    }

    [GeneratedRegex(@"^cache train: (\d) / 8 photos \(\d+\.\d%\), \d+\.\d photos/s, (\d+(\.\d)? s|\d+ min \d+ s) left$")]
    private static partial Regex ProgressLine();

    private sealed class Clock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(double seconds) => _ticks += TimeSpan.FromSeconds(seconds).Ticks;
    }
}
