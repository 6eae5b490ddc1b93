using UlcAg.Data.Loading;
using UlcAg.Data.Synthetic;
using UlcAg.Data.Formats;
using UlcAg.Graph.Optim;
using UlcAg.Data.AuLabels;
using UlcAg.Data.Faces;
using UlcAg.Data.Issues;
using UlcAg.Data.Noise;
using UlcAg.Training.Config;
using UlcAg.Network.Models;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class ConfigYamlRoundTripTests
{
    [TestMethod]
    public void DefaultsRoundTrip()
    {
        using var files = new ConfigTestFiles();
        var options = files.Builder().Build().Options;
        var yaml = OptionsYaml.Write(options);
        var back = files.Builder().AddYaml(yaml, "written.yaml").Build().Options;
        Assert.AreEqual(yaml, OptionsYaml.Write(back));
        StringAssert.Contains(yaml, "lr_milestones: [10, 20]\n");
        StringAssert.Contains(yaml, "\nulcag:\n  rr_ratio: 0.8\n");
        StringAssert.Contains(yaml, "  weight_decay: 0.0001\n");
        Assert.IsFalse(yaml.Contains("resume", StringComparison.Ordinal), "the resume directory is not part of the stored configuration");
    }

    [TestMethod]
    public void EveryKindOfValueRoundTrips()
    {
        using var files = new ConfigTestFiles();
        var root = files.Folder("my data");
        var aus = files.Write("my data/aus.csv", "file,AU01_c\n");
        var weights = files.Write("w/r18.safetensors", "x");
        var options = new TrainOptions
        {
            Method = Method.RandomEdges,
            Seed = 123,
            Device = "cuda:1",
            Output = files.Folder("out"),
            RunName = "20250101",
            Threads = 2,
            Data = new DataOptions
            {
                Format = DataFormat.AffectNetAuto,
                Root = root,
                TrainSplit = "true",
                TestSplit = "null",
                ValSplit = "1.5",
                ValFraction = 0,
                InputSize = 96,
                Classes = ["Happiness", "Sadness", "Neutral: calm"],
                Align = AlignMode.Box,
                Margin = 0.35,
                Detector = "none",
                CacheDir = files.Folder("cache"),
                BadInput = IssuePolicy.Skip,
                Au = new AuSourceOptions { Source = AuSource.OpenFace, Path = aus, Mode = AuMode.Intensity, Threshold = 2.5, Subset = ["AU01", "AU12"] },
                Noise = new NoiseOptions { Rate = 0.3, Kind = NoiseKind.Pairwise, Seed = 9 },
                Synthetic = new SyntheticFaceOptions { Train = 100, Test = 50, Difficulty = 2, AuErrorRate = 0.05, AmbiguousFraction = 0, Seed = 3 },
            },
            Augment = new AugmentOptions { Crop = CropMode.Pad, Scale = [0.3, 0.7], Flip = false, Erase = 0 },
            Model = new ModelOptions { Pretrained = weights, SemanticFeature = SemanticFeature.NodeFeatures, NodeDim = 32, GcnChannels = 16, LeakySlope = 0.01, AlphaThroughAuLoss = true },
            Train = new TrainLoopOptions { Epochs = 40, BatchSize = 32, Optimizer = OptimizerKind.AdamW, Momentum = 0.85, WeightDecay = 5e-4, Lr = 1e-3, AuxLr = 1.0 / 3, LrMilestones = [], LrGamma = 0.5, Workers = 0, EvalBatchSize = 7, CheckpointEvery = 0 },
            UlcAg = new UlcAgOptions { RrRatio = 0.6, RrMargin = 0.2, RampBeta = 4.5, RelabelStartEpoch = 0, RelabelMargin = 0.1, TemplateMomentum = 0, AuxStartEpoch = 3 },
            Scn = new ScnOptions { RrRatio = 0.5, RrMargin = 0.1, RelabelThreshold = 0.3, RelabelStartEpoch = 1 },
        };

        var yaml = OptionsYaml.Write(options, "header line\nsecond line");
        StringAssert.StartsWith(yaml, "# header line\n# second line\n");
        StringAssert.Contains(yaml, "train_split: \"true\"");
        StringAssert.Contains(yaml, "test_split: \"null\"");
        StringAssert.Contains(yaml, "val_split: \"1.5\"");
        StringAssert.Contains(yaml, "format: affectnet-auto");
        StringAssert.Contains(yaml, "optimizer: adamw");
        StringAssert.Contains(yaml, "lr_milestones: []");

        var back = files.Builder().AddYaml(yaml, "written.yaml").Build().Options;
        Assert.AreEqual(yaml, OptionsYaml.Write(back, "header line\nsecond line"));
        Assert.AreEqual(Method.RandomEdges, back.Method);
        Assert.AreEqual("true", back.Data.TrainSplit);
        Assert.AreEqual("null", back.Data.TestSplit);
        Assert.AreEqual("1.5", back.Data.ValSplit);
        CollectionAssert.AreEqual(new[] { "Happiness", "Sadness", "Neutral: calm" }, back.Data.Classes!.ToArray());
        Assert.AreEqual(1.0 / 3, back.Train.AuxLr, "doubles are written with full precision");
        Assert.AreEqual(5e-4, back.Train.WeightDecay);
        Assert.AreEqual(9, back.Data.Noise.Seed);
        Assert.AreEqual(weights, back.Model.Pretrained);
        Assert.IsTrue(back.Model.AlphaThroughAuLoss);
        Assert.AreEqual(0, back.Train.LrMilestones.Count);
    }

    [TestMethod]
    public void WriteFileReplacesAtomically()
    {
        using var files = new ConfigTestFiles();
        var path = Path.Combine(files.Root, "run", RunFolder.ConfigFile);
        OptionsYaml.WriteFile(new TrainOptions { Seed = 1 }, path);
        OptionsYaml.WriteFile(new TrainOptions { Seed = 2 }, path);
        Assert.AreEqual(2, files.Builder().AddFile(path).Build().Options.Seed);
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(Path.GetDirectoryName(path)!), "no temporary file is left");
    }
}
