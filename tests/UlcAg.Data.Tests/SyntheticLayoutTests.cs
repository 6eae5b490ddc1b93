using System.Globalization;
using System.Text.RegularExpressions;
using OpenCvSharp;
using UlcAg.Data.Synthetic;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed partial class SyntheticLayoutTests
{
    private static readonly SyntheticFaceOptions Tiny = new() { ImageSize = 40, Train = 14, Test = 7, Seed = 3 };
    private string _root = "";

    [TestInitialize]
    public void CreateFolder() => _root = Directory.CreateTempSubdirectory("ulcag-synth-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_root, recursive: true);

    [GeneratedRegex(@"^(train_\d{5}|test_\d{4})\.jpg ([1-7])$")]
    private static partial Regex ListLine();

    [TestMethod]
    public void LabelListAndImagesFollowRafDbLayout()
    {
        var generator = new SyntheticFaceGenerator(Tiny);
        SyntheticDatasetWriter.Write(generator, _root);

        var lines = File.ReadAllLines(Path.Combine(_root, "EmoLabel", "list_patition_label.txt"));
        Assert.HasCount(21, lines);
        Assert.AreEqual("train_00001.jpg", lines[0].Split(' ')[0]);
        Assert.AreEqual("test_0001.jpg", lines[14].Split(' ')[0]);
        for (var i = 0; i < lines.Length; i++)
        {
            var match = ListLine().Match(lines[i]);
            Assert.IsTrue(match.Success, $"line {i + 1}: '{lines[i]}'");
            var (split, index) = i < 14 ? (SynthSplit.Train, i) : (SynthSplit.Test, i - 14);
            Assert.AreEqual((int)generator.LabelOf(split, index) + 1, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));

            var image = Path.Combine(_root, "Image", "aligned", match.Groups[1].Value + "_aligned.jpg");
            Assert.IsTrue(File.Exists(image), image);
            using var decoded = Cv2.ImRead(image, ImreadModes.Color);
            Assert.AreEqual(40, decoded.Rows);
            Assert.AreEqual(40, decoded.Cols);
            // The in-memory pixels are the decoded bytes of the file on disk.
            decoded.GetArray(out Vec3b[] pixels);
            var expected = generator.Generate(split, index).Pixels;
            CollectionAssert.AreEqual(expected, pixels.SelectMany(p => new[] { p.Item0, p.Item1, p.Item2 }).ToArray());
        }
        Assert.IsEmpty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories), "no temporary files are left behind");
    }

    [TestMethod]
    public void AuCsvsHaveOpenFaceHeaderWithLeadingSpaces()
    {
        var generator = new SyntheticFaceGenerator(Tiny);
        var infos = SyntheticDatasetWriter.Write(generator, _root);
        const string header =
            "file, face_id, confidence, success, " +
            "AU01_r, AU02_r, AU04_r, AU05_r, AU06_r, AU07_r, AU09_r, AU10_r, AU12_r, AU14_r, AU15_r, AU17_r, AU20_r, AU23_r, AU25_r, AU26_r, AU45_r, " +
            "AU01_c, AU02_c, AU04_c, AU05_c, AU06_c, AU07_c, AU09_c, AU10_c, AU12_c, AU14_c, AU15_c, AU17_c, AU20_c, AU23_c, AU25_c, AU26_c, AU28_c, AU45_c";
        foreach (var (name, truth) in new[] { ("openface_aus.csv", false), ("true_aus.csv", true) })
        {
            var lines = File.ReadAllLines(Path.Combine(_root, "AU", name));
            Assert.AreEqual(header, lines[0], name);
            var columns = lines[0].Split(',');
            Assert.HasCount(4 + 17 + 18, columns);
            Assert.AreEqual("file", columns[0]);
            Assert.IsTrue(columns.Skip(1).All(c => c.StartsWith(' ') && !c.StartsWith("  ", StringComparison.Ordinal)), "every later name has one leading space");
            Assert.HasCount(infos.Count + 1, lines);
            for (var r = 0; r < infos.Count; r++)
            {
                var cells = lines[r + 1].Split(',').Select(c => c.Trim()).ToArray();
                Assert.HasCount(columns.Length, cells, $"{name} row {r + 1}");
                var info = infos[r];
                Assert.AreEqual(info.FileName, cells[0]);
                var expected = truth ? AuDetection.Exact(info.TrueAus) : info.PseudoAus;
                foreach (var au in FacsAus.OpenFacePresence)
                {
                    var c = Value(cells, columns, $" {FacsAus.Name(au)}_c");
                    var k = FacsAus.IndexOf(au);
                    Assert.AreEqual(k < 0 ? 0 : expected.Presence[k], c, $"{name} {info.FileName} AU{au}_c");
                }
                foreach (var au in FacsAus.OpenFaceIntensity)
                {
                    var v = Value(cells, columns, $" {FacsAus.Name(au)}_r");
                    var k = FacsAus.IndexOf(au);
                    Assert.AreEqual(k < 0 ? 0 : expected.Intensity[k], v, 0.0051, $"{name} {info.FileName} AU{au}_r");
                }
                if (truth)
                    Assert.AreEqual(1.0, Value(cells, columns, " confidence"));
            }
        }
    }

    private static float Value(string[] cells, string[] columns, string column) =>
        float.Parse(cells[Array.IndexOf(columns, column)], CultureInfo.InvariantCulture);

    [TestMethod]
    public void DetailsAndOptionsAreWritten()
    {
        var generator = new SyntheticFaceGenerator(Tiny with { AmbiguousFraction = 0.5 });
        var infos = SyntheticDatasetWriter.Write(generator, _root);
        var details = File.ReadAllLines(Path.Combine(_root, "EmoLabel", "synthetic_details.csv"));
        Assert.AreEqual("file,label,blended_with,blend_ratio,occlusion", details[0]);
        Assert.HasCount(infos.Count + 1, details);
        Assert.IsTrue(details.Skip(1).Any(l => l.Split(',')[2].Length > 0), "some faces are blends");
        var json = File.ReadAllText(Path.Combine(_root, "synthetic_options.json"));
        StringAssert.Contains(json, "\"ImageSize\": 40");
        StringAssert.Contains(json, "\"AmbiguousFraction\": 0.5");
    }

    [TestMethod]
    public void InMemorySplitMatchesTheContract()
    {
        var generator = new SyntheticFaceGenerator(Tiny);
        var split = generator.CreateSplit(SynthSplit.Train);
        Assert.AreEqual("synthetic", split.Dataset);
        Assert.AreEqual("train", split.Split);
        CollectionAssert.AreEqual(new[] { "Surprise", "Fear", "Disgust", "Happiness", "Sadness", "Anger", "Neutral" }, split.ClassNames.ToArray());
        CollectionAssert.AreEqual(FacsAus.Modelled.Select(au => $"AU{au:00}").ToArray(), split.AuNames.ToArray());
        Assert.HasCount(14, split.Samples);
        for (var i = 0; i < split.Samples.Count; i++)
        {
            var sample = split.Samples[i];
            var info = generator.Describe(SynthSplit.Train, i);
            Assert.AreEqual(info.FileName, sample.Id);
            Assert.AreEqual((int)info.Label, sample.Label);
            Assert.AreEqual(sample.Label, sample.CleanLabel);
            CollectionAssert.AreEqual(info.PseudoAus.Presence, sample.Aus);
            CollectionAssert.AreEqual(AuDetection.Exact(info.TrueAus).Presence, sample.RenderedAus);
            var pixels = (ImageSource.Pixels)sample.Image;
            Assert.AreEqual((40, 40, 3), (pixels.Width, pixels.Height, pixels.Channels));
            CollectionAssert.AreEqual(generator.Generate(SynthSplit.Train, i).Pixels, pixels.Data);
        }
        var exact = generator.CreateSplit(SynthSplit.Test, SyntheticAuLabels.True);
        for (var i = 0; i < exact.Samples.Count; i++)
        {
            CollectionAssert.AreEqual(AuDetection.Exact(generator.Describe(SynthSplit.Test, i).TrueAus).Presence, exact.Samples[i].Aus);
            CollectionAssert.AreEqual(exact.Samples[i].Aus, exact.Samples[i].RenderedAus);
        }
    }

    [TestMethod]
    public void UnwritableRootGivesAClearError()
    {
        var file = Path.Combine(_root, "occupied");
        File.WriteAllText(file, "not a folder");
        var e = Assert.ThrowsExactly<SyntheticDataException>(() => SyntheticDatasetWriter.Write(new SyntheticFaceGenerator(Tiny), Path.Combine(file, "data")));
        StringAssert.Contains(e.Message, "occupied");
    }
}
