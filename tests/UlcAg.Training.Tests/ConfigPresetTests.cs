using UlcAg.Data.AuLabels;
using UlcAg.Data.Formats;
using UlcAg.Data.Faces;
using UlcAg.Data.Noise;
using UlcAg.Training.Config;
using UlcAg.Network.Models;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class ConfigPresetTests
{
    private static readonly string[] MethodOverlays = ["baseline", "scn", "target-only", "aux-only", "random-edges"];

    [TestMethod]
    public void EveryPresetFileIsKnown()
    {
        var names = ConfigTestFiles.Presets.List().Select(p => p.Name).ToArray();
        CollectionAssert.AreEquivalent(new[] { "demo", "tables-synthetic", "rafdb", "affectnet" }.Concat(MethodOverlays).ToArray(), names);
        Assert.IsTrue(ConfigTestFiles.Presets.List().All(p => p.Description.Length > 20), "each preset starts with a describing comment");
    }

    [TestMethod]
    public void DemoIsTheSmallSyntheticNoisyRun()
    {
        using var files = new ConfigTestFiles();
        var config = files.Builder().AddFile(ConfigTestFiles.Preset("demo")).Build();
        var o = config.Options;
        Assert.AreEqual(Method.UlcAg, o.Method);
        Assert.AreEqual(DataFormat.Synthetic, o.Data.Format);
        Assert.AreEqual(0.2, o.Data.Noise.Rate);
        Assert.AreEqual(NoiseKind.Symmetric, o.Data.Noise.Kind);
        Assert.AreEqual(64, o.Data.InputSize);
        Assert.AreEqual(2000, o.Data.Synthetic.Train);
        Assert.AreEqual("imagenet", o.Model.Pretrained);
        Assert.AreEqual(6, o.Train.Epochs);
        Assert.AreEqual(64, o.Train.BatchSize);
        Assert.AreEqual(0.02, o.Train.AuxLr);
        CollectionAssert.AreEqual(new[] { 4, 5 }, o.Train.LrMilestones.ToArray());
        Assert.AreEqual(4, o.UlcAg.RelabelStartEpoch);
        Assert.AreEqual(0.1, o.UlcAg.RelabelMargin);
        Assert.AreEqual(3.0, o.UlcAg.RampBeta);
        Assert.AreEqual(0, config.Warnings.Count, string.Join("\n", config.Warnings));
    }

    [TestMethod]
    public void TablesPresetIsTheDemoAt48PixelsWithTrainingAfterTheCorrections()
    {
        using var files = new ConfigTestFiles();
        var demo = files.Builder().AddFile(ConfigTestFiles.Preset("demo")).Build().Options;
        var tables = files.Builder().AddFile(ConfigTestFiles.Preset("tables-synthetic")).Build().Options;
        Assert.AreEqual(48, tables.Data.InputSize);
        // Two more epochs at the full rate, and relabeling from epoch 3 for ULC-AG and SCN alike; the rest as the demo.
        var expected = demo with
        {
            Data = demo.Data with { InputSize = 48 },
            Train = demo.Train with { Epochs = 8, LrMilestones = [6, 7] },
            UlcAg = demo.UlcAg with { RelabelStartEpoch = 3 },
            Scn = demo.Scn with { RelabelStartEpoch = 3 },
        };
        Assert.AreEqual(OptionsYaml.Write(expected), OptionsYaml.Write(tables));
    }

    [TestMethod]
    [DataRow("rafdb", DataFormat.RafDb, "test", AlignMode.Resize)]
    [DataRow("affectnet", DataFormat.AffectNet, "val", AlignMode.Auto)]
    public void DatasetPresetsHoldThePaperSettings(string preset, DataFormat format, string testSplit, AlignMode align)
    {
        using var files = new ConfigTestFiles();
        var o = DatasetPreset(files, preset).Build().Options;
        Assert.AreEqual(format, o.Data.Format);
        Assert.AreEqual(testSplit, o.Data.TestSplit);
        Assert.AreEqual(align, o.Data.Align);
        Assert.AreEqual(224, o.Data.InputSize);
        Assert.AreEqual(0.0, o.Data.ValFraction);
        Assert.AreEqual(AuSource.OpenFace, o.Data.Au.Source);
        Assert.AreEqual(30, o.Train.Epochs);
        Assert.AreEqual(512, o.Train.BatchSize);
        Assert.AreEqual(0.01, o.Train.Lr);
        Assert.AreEqual(0.005, o.Train.AuxLr);
        CollectionAssert.AreEqual(new[] { 10, 20 }, o.Train.LrMilestones.ToArray());
        Assert.AreEqual((0.8, 0.15, 10), (o.UlcAg.RrRatio, o.UlcAg.RrMargin, o.UlcAg.RelabelStartEpoch));
    }

    [TestMethod]
    public void DatasetPresetsNeedTheirFolders()
    {
        using var files = new ConfigTestFiles();
        var e = Assert.ThrowsExactly<ConfigException>(() => files.Builder().AddFile(ConfigTestFiles.Preset("rafdb"), "preset rafdb").Build());
        CollectionAssert.AreEquivalent(new[] { "data.root", "data.au.path" }, e.Errors.Select(m => m.Key).ToArray());
        Assert.IsTrue(e.Errors.All(m => m.Location!.Source == "preset rafdb" && m.Location.Line > 0), e.Message);
    }

    [TestMethod]
    public void MethodOverlaysCombineWithEveryDatasetPreset()
    {
        foreach (var dataset in new[] { "demo", "rafdb", "affectnet" })
        {
            foreach (var overlay in MethodOverlays)
            {
                using var files = new ConfigTestFiles();
                var builder = dataset == "demo" ? files.Builder().AddFile(ConfigTestFiles.Preset("demo")) : DatasetPreset(files, dataset);
                var o = builder.AddFile(ConfigTestFiles.Preset(overlay)).Build().Options;
                Assert.AreEqual(overlay, EnumWords.ToWord(o.Method), $"{dataset} + {overlay}");
                var alone = (dataset == "demo" ? files.Builder().AddFile(ConfigTestFiles.Preset("demo")) : DatasetPreset(files, dataset)).Build().Options;
                Assert.AreEqual(alone.Train.Epochs, o.Train.Epochs, "an overlay keeps the dataset preset's schedule");
                Assert.AreEqual(alone.Data.Format, o.Data.Format);
                Assert.AreEqual(alone.Scn.RelabelStartEpoch, o.Scn.RelabelStartEpoch);
            }
        }
    }

    [TestMethod]
    public void ScnOverlaySetsScnHyperparameters()
    {
        using var files = new ConfigTestFiles();
        var o = files.Builder().AddFile(ConfigTestFiles.Preset("demo")).AddFile(ConfigTestFiles.Preset("scn")).Build().Options;
        Assert.AreEqual(Method.Scn, o.Method);
        Assert.AreEqual((0.7, 0.15, 0.2, 4), (o.Scn.RrRatio, o.Scn.RrMargin, o.Scn.RelabelThreshold, o.Scn.RelabelStartEpoch));
    }

    // A dataset preset with a root folder and an AU file that exist.
    private static TrainConfigBuilder DatasetPreset(ConfigTestFiles files, string preset)
    {
        var root = files.Folder(preset + "-root");
        var aus = files.Write(preset + "-root/aus.csv", "file,AU01_c\n");
        return files.Builder()
            .AddFile(ConfigTestFiles.Preset(preset))
            .Set(new ConfigSetting("data.root", root, IsLiteral: true, "--data-root " + root))
            .Set(ConfigSetting.Parse("data.au.path=" + aus));
    }
}
