using System.Text.Json;
using OpenCvSharp;
using UlcAg.Data.Cache;
using UlcAg.Data.Faces;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class ImageCacheTests
{
    private readonly TempDirectory _temp = new();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    private static readonly CacheSettings _settings = new() { Faces = new FacePipelineOptions { Size = 24, Mode = AlignMode.Resize } };

    [TestMethod]
    public void Contents_EqualDirectDecodeAndResize_InRgbOrder()
    {
        var dir = _temp.Path;
        var split = FaceTestImages.RandomPngSplit(dir, 9);

        using var cache = ImageCache.OpenOrBuild(split, _settings, Path.Combine(dir, "cache"));

        Assert.AreEqual(9, cache.Count);
        Assert.AreEqual(24, cache.Height);
        Assert.AreEqual(24, cache.Width);
        Assert.IsFalse(cache.Report.Reused);
        Assert.AreEqual(9, cache.Report.Resized);
        Assert.AreEqual(9L * 24 * 24 * 3, new FileInfo(cache.DataPath).Length);
        for (var i = 0; i < 9; i++)
        {
            var path = ((ImageSource.File)split.Samples[i].Image).Path;
            CollectionAssert.AreEqual(FaceTestImages.ExpectedResizedRgb(path, 24), cache.GetImage(i).ToArray(), $"sample {i}");
        }
    }

    [TestMethod]
    public void Header_DescribesLayoutKeyAndHeldSamples()
    {
        var dir = _temp.Path;
        var split = FaceTestImages.RandomPngSplit(dir, 3, name: "raf db");
        var cacheDir = Path.Combine(dir, "cache");
        using var cache = ImageCache.OpenOrBuild(split, _settings, cacheDir);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(cacheDir, "raf_db.train.json")));
        var root = json.RootElement;
        Assert.AreEqual("NHWC", root.GetProperty("layout").GetString());
        Assert.AreEqual("RGB", root.GetProperty("channelOrder").GetString());
        Assert.AreEqual("uint8", root.GetProperty("dtype").GetString());
        Assert.AreEqual(cache.Key, root.GetProperty("key").GetString());
        Assert.AreEqual(ImageCache.ComputeKey(split, _settings), cache.Key);
        Assert.AreEqual(3, root.GetProperty("sampleIndices").GetArrayLength());
        Assert.AreEqual(Path.GetFileName(cache.DataPath), root.GetProperty("dataFile").GetString());
    }

    [TestMethod]
    public void SecondOpen_ReusesTheCache()
    {
        var dir = _temp.Path;
        var split = FaceTestImages.RandomPngSplit(dir, 4);
        var cacheDir = Path.Combine(dir, "cache");
        string dataPath;
        DateTime written;
        using (var first = ImageCache.OpenOrBuild(split, _settings, cacheDir))
        {
            dataPath = first.DataPath;
            written = File.GetLastWriteTimeUtc(dataPath);
        }

        using var second = ImageCache.OpenOrBuild(split, _settings, cacheDir);

        Assert.IsTrue(second.Report.Reused);
        Assert.AreEqual(dataPath, second.DataPath);
        Assert.AreEqual(written, File.GetLastWriteTimeUtc(dataPath));
        Assert.AreEqual(4, second.Report.Resized);
        Assert.HasCount(2, Directory.GetFiles(cacheDir), "header and pixel file only, no temporary files");
    }

    [TestMethod]
    public void AnySettingChange_RebuildsTheCache()
    {
        var dir = _temp.Path;
        var split = FaceTestImages.RandomPngSplit(dir, 3);
        var cacheDir = Path.Combine(dir, "cache");
        var boxed = split with { Samples = [.. split.Samples.Select(s => s with { Box = new FaceBox(5, 5, 20, 20) })] };
        using (ImageCache.OpenOrBuild(boxed, _settings with { Faces = _settings.Faces with { Mode = AlignMode.Auto } }, cacheDir))
        {
        }

        CacheSettings[] variants =
        [
            _settings with { Faces = _settings.Faces with { Mode = AlignMode.Auto, Size = 20 } },
            _settings with { Faces = _settings.Faces with { Mode = AlignMode.Auto, Margin = 0.3f } },
            _settings with { Faces = _settings.Faces with { Mode = AlignMode.Box } },
            _settings with { Faces = _settings.Faces with { Mode = AlignMode.Auto, TemplatePadding = 0.1f } },
            _settings with { Faces = _settings.Faces with { Mode = AlignMode.Auto, MaxDetectSide = 512 } },
            _settings with { Faces = _settings.Faces with { Mode = AlignMode.Auto }, Detector = FaceDetectorSpec.Haar() },
            _settings with { Faces = _settings.Faces with { Mode = AlignMode.Auto }, OnDecodeError = IssuePolicy.Skip },
        ];
        var keys = new HashSet<string> { ImageCache.ComputeKey(boxed, _settings with { Faces = _settings.Faces with { Mode = AlignMode.Auto } }) };
        foreach (var variant in variants)
        {
            Assert.IsTrue(keys.Add(ImageCache.ComputeKey(boxed, variant)), $"key unchanged for {variant}");
        }

        using var resized = ImageCache.OpenOrBuild(boxed, variants[0], cacheDir);
        Assert.IsFalse(resized.Report.Reused);
        Assert.AreEqual(20, resized.Height);
        Assert.AreEqual(3, resized.Report.Box);
        Assert.HasCount(2, Directory.GetFiles(cacheDir), "the stale pixel file is removed");
    }

    [TestMethod]
    public void SampleOrSourceChange_RebuildsTheCache()
    {
        var dir = _temp.Path;
        var split = FaceTestImages.RandomPngSplit(dir, 3);
        var cacheDir = Path.Combine(dir, "cache");
        var key = ImageCache.ComputeKey(split, _settings);
        using (ImageCache.OpenOrBuild(split, _settings, cacheDir))
        {
        }

        Assert.AreNotEqual(key, ImageCache.ComputeKey(split with { Split = "val" }, _settings));
        Assert.AreNotEqual(key, ImageCache.ComputeKey(split with { Dataset = "other" }, _settings));
        Assert.AreNotEqual(key, ImageCache.ComputeKey(split with { Samples = split.Samples.Take(2).ToList() }, _settings));
        Assert.AreNotEqual(key, ImageCache.ComputeKey(split with { Samples = [.. split.Samples.Select((s, i) => i == 1 ? s with { Id = "renamed" } : s)] }, _settings));
        Assert.AreNotEqual(key, ImageCache.ComputeKey(split with { Samples = [.. split.Samples.Select((s, i) => i == 1 ? s with { Landmarks = new float[10] } : s)] }, _settings));
        // Labels do not change pixels: relabelled splits share the cache.
        Assert.AreEqual(key, ImageCache.ComputeKey(split with { Samples = [.. split.Samples.Select(s => s with { Label = 0, CleanLabel = 3 })] }, _settings));

        // Replace one image file with other pixels.
        var path = ((ImageSource.File)split.Samples[1].Image).Path;
        using (var other = FaceTestImages.RandomBgr(50, 50, seed: 999))
        {
            Cv2.ImWrite(path, other);
        }

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(5));
        using var rebuilt = ImageCache.OpenOrBuild(split, _settings, cacheDir);
        Assert.IsFalse(rebuilt.Report.Reused);
        CollectionAssert.AreEqual(FaceTestImages.ExpectedResizedRgb(path, 24), rebuilt.GetImage(1).ToArray());
    }

    [TestMethod]
    public void PixelSources_AreHashedByContent()
    {
        var split = FaceTestImages.RandomPixelSplit(4, 16);
        var key = ImageCache.ComputeKey(split, _settings);
        var changed = split.Samples[2].Image as ImageSource.Pixels;
        var data = (byte[])changed!.Data.Clone();
        data[17] ^= 1;
        var edited = split with { Samples = [.. split.Samples.Select((s, i) => i == 2 ? s with { Image = changed with { Data = data } } : s)] };
        Assert.AreNotEqual(key, ImageCache.ComputeKey(edited, _settings));

        var dir = _temp.Path;
        using var cache = ImageCache.OpenOrBuild(split, _settings with { Faces = _settings.Faces with { Size = 16 } }, dir);
        // Same size: the cache holds the pixels themselves, converted from BGR to RGB.
        var source = ((ImageSource.Pixels)split.Samples[3].Image).Data;
        var cached = cache.GetImage(3);
        for (var p = 0; p < 16 * 16; p++)
        {
            Assert.AreEqual(source[(3 * p) + 2], cached[3 * p]);
            Assert.AreEqual(source[(3 * p) + 1], cached[(3 * p) + 1]);
            Assert.AreEqual(source[3 * p], cached[(3 * p) + 2]);
        }
    }

    [TestMethod]
    public void CorruptImage_UnderFail_ThrowsNamingTheFileAndLeavesNoFiles()
    {
        var dir = _temp.Path;
        var split = FaceTestImages.RandomPngSplit(dir, 6);
        var bad = ((ImageSource.File)split.Samples[3].Image).Path;
        File.WriteAllBytes(bad, [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0, 1, 2, 3]);
        var cacheDir = Path.Combine(dir, "cache");

        var e = Assert.ThrowsExactly<ImageDecodeException>(() => ImageCache.OpenOrBuild(split, _settings, cacheDir));

        StringAssert.Contains(e.Message, bad);
        Assert.IsEmpty(Directory.GetFiles(cacheDir));
    }

    [TestMethod]
    public void CorruptAndMissingImages_UnderSkip_AreLeftOutAndIndicesStayConsistent()
    {
        var dir = _temp.Path;
        var split = FaceTestImages.RandomPngSplit(dir, 7);
        File.WriteAllText(((ImageSource.File)split.Samples[2].Image).Path, "not an image");
        File.Delete(((ImageSource.File)split.Samples[5].Image).Path);
        var settings = _settings with { OnDecodeError = IssuePolicy.Skip };

        using var cache = ImageCache.OpenOrBuild(split, settings, Path.Combine(dir, "cache"));

        CollectionAssert.AreEqual(new[] { 0, 1, 3, 4, 6 }, cache.SampleIndices.ToArray());
        Assert.AreEqual(7, cache.SampleCount);
        Assert.AreEqual(-1, cache.SlotOf(2));
        Assert.AreEqual(-1, cache.SlotOf(5));
        Assert.AreEqual(3, cache.SlotOf(4));
        Assert.HasCount(2, cache.Report.Skipped);
        Assert.AreEqual("s2", cache.Report.Skipped[0].Id);
        StringAssert.Contains(cache.Report.Skipped[0].Reason, "not a decodable image");
        StringAssert.Contains(cache.Report.Skipped[1].Reason, "does not exist");
        Assert.AreEqual(5L * 24 * 24 * 3, new FileInfo(cache.DataPath).Length);
        foreach (var slot in Enumerable.Range(0, cache.Count))
        {
            var path = ((ImageSource.File)split.Samples[cache.SampleIndices[slot]].Image).Path;
            CollectionAssert.AreEqual(FaceTestImages.ExpectedResizedRgb(path, 24), cache.GetImage(slot).ToArray(), $"slot {slot}");
        }

        using var reopened = ImageCache.OpenOrBuild(split, settings, Path.Combine(dir, "cache"));
        Assert.IsTrue(reopened.Report.Reused);
        Assert.HasCount(2, reopened.Report.Skipped);
    }

    [TestMethod]
    public void TruncatedPixelFile_IsRebuilt()
    {
        var dir = _temp.Path;
        var split = FaceTestImages.RandomPngSplit(dir, 3);
        var cacheDir = Path.Combine(dir, "cache");
        string dataPath;
        using (var cache = ImageCache.OpenOrBuild(split, _settings, cacheDir))
        {
            dataPath = cache.DataPath;
        }

        using (var stream = new FileStream(dataPath, FileMode.Open))
        {
            stream.SetLength(100);
        }

        using var rebuilt = ImageCache.OpenOrBuild(split, _settings, cacheDir);
        Assert.IsFalse(rebuilt.Report.Reused);
        Assert.AreEqual(3, rebuilt.Count);
    }

    [TestMethod]
    public void AnnotatedBoxesAndLandmarks_AreUsed()
    {
        var dir = _temp.Path;
        var split = FaceTestImages.RandomPngSplit(dir, 3);
        var annotated = split with
        {
            Samples =
            [
                split.Samples[0] with { Box = new FaceBox(4, 4, 20, 20) },
                split.Samples[1] with { Landmarks = [10, 12, 22, 12, 16, 18, 11, 24, 21, 24] },
                split.Samples[2],
            ],
        };
        var settings = new CacheSettings { Faces = new FacePipelineOptions { Size = 24, Margin = 0.1f } };

        using var cache = ImageCache.OpenOrBuild(annotated, settings, Path.Combine(dir, "cache"));

        Assert.AreEqual(1, cache.Report.Box);
        Assert.AreEqual(1, cache.Report.FivePoint);
        Assert.AreEqual(1, cache.Report.Resized);
        using var bgr = Cv2.ImRead(((ImageSource.File)split.Samples[0].Image).Path);
        using var crop = FaceAligner.CropBox(bgr, new FaceBox(4, 4, 20, 20), 0.1f, 24);
        using var rgb = crop.CvtColor(ColorConversionCodes.BGR2RGB);
        CollectionAssert.AreEqual(FaceTestImages.Bytes(rgb), cache.GetImage(0).ToArray());
    }

    [TestMethod]
    public void Detector_CropsFacesOfUnannotatedPhotos_AndReportsPhotosWithoutFace()
    {
        FaceDetectorTests.RequireDefaultCascade();
        var dir = _temp.Path;
        var face = Path.Combine(dir, "face.png");
        FaceTestImages.WriteFacePhoto(face, 360, 300, 200, 150, 1.0);

        var plain = Path.Combine(dir, "plain.png");
        using (var empty = new Mat(120, 120, MatType.CV_8UC3, new Scalar(90, 120, 150)))
        {
            Cv2.ImWrite(plain, empty);
        }

        var split = new DatasetSplit("photos", "train", ["a"], [], [new Sample("face", new ImageSource.File(face), 0), new Sample("plain", new ImageSource.File(plain), 0)]);
        var settings = new CacheSettings { Faces = new FacePipelineOptions { Size = 32 }, Detector = FaceDetectorSpec.Haar() };
        var progress = new MaxProgress();

        using var cache = ImageCache.OpenOrBuild(split, settings, Path.Combine(dir, "cache"), progress);

        Assert.AreEqual(1, cache.Report.Box);
        Assert.AreEqual(1, cache.Report.NoFaceFound);
        Assert.AreEqual(2, progress.Max);
        // The face crop's centre is skin (R = 220 > B = 150 in the drawing); RGB order in the cache.
        var centre = cache.GetImage(0).Slice(((16 * 32) + 16) * 3, 3);
        Assert.IsTrue(centre[0] > centre[2] + 30, $"centre RGB {centre[0]},{centre[1]},{centre[2]}");
    }

    [TestMethod]
    public void MissingDetectorModel_FailsTheBuildWithAClearError()
    {
        var dir = _temp.Path;
        var split = FaceTestImages.RandomPngSplit(dir, 3);
        var model = Path.Combine(dir, "absent.onnx");
        var settings = _settings with { Faces = _settings.Faces with { Mode = AlignMode.Auto }, Detector = FaceDetectorSpec.YuNet(model) };

        var e = Assert.ThrowsExactly<FaceDetectorUnavailableException>(() => ImageCache.OpenOrBuild(split, settings, Path.Combine(dir, "cache")));

        StringAssert.Contains(e.Message, model);
        Assert.IsEmpty(Directory.GetFiles(Path.Combine(dir, "cache")));
    }

    [TestMethod]
    public void EmptySplit_GivesAnEmptyCache()
    {
        var dir = _temp.Path;
        var split = new DatasetSplit("none", "train", ["a"], [], []);
        using var cache = ImageCache.OpenOrBuild(split, _settings, dir);
        Assert.AreEqual(0, cache.Count);
        using var again = ImageCache.OpenOrBuild(split, _settings, dir);
        Assert.IsTrue(again.Report.Reused);
    }

    private sealed class MaxProgress : IProgress<int>
    {
        private int _max;

        public int Max => _max;

        public void Report(int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, seen) != seen)
            {
            }
        }
    }
}
