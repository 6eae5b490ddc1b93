using UlcAg.Data.Noise;
using UlcAg.Training.Config;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class ConfigLayeringTests
{
    [TestMethod]
    public void LaterLayersWinKeyByKey()
    {
        using var files = new ConfigTestFiles();
        var first = files.Write("first.yaml", """
            seed: 1
            train:
              epochs: 12
              lr: 0.05
              lr_milestones: [4, 8, 10]
            data:
              noise: {rate: 0.3, kind: pairwise}
            """);
        var second = files.Write("second.yaml", """
            seed: 2
            train:
              epochs: 9
              lr_milestones: [5]
            data:
              noise:
                rate: 0.1
            """);

        var config = files.Builder()
            .AddFile(first)
            .AddFile(second)
            .Set(ConfigSetting.Parse("seed=3"))
            .Set(ConfigSetting.Parse("seed=4"))
            .Build();
        var o = config.Options;

        Assert.AreEqual(4, o.Seed, "the last --set wins");
        Assert.AreEqual(9, o.Train.Epochs, "the second file wins over the first");
        Assert.AreEqual(0.05, o.Train.Lr, "keys the second file leaves out keep the first file's value");
        CollectionAssert.AreEqual(new[] { 5 }, o.Train.LrMilestones.ToArray(), "lists are replaced whole");
        Assert.AreEqual(0.1, o.Data.Noise.Rate);
        Assert.AreEqual(UlcAg.Data.Noise.NoiseKind.Pairwise, o.Data.Noise.Kind, "sections merge key by key");
        Assert.AreEqual(64, o.Train.BatchSize, "keys no layer sets keep the built-in default");
        CollectionAssert.AreEqual(new[] { first, second, "--set seed=3", "--set seed=4" }, config.Sources.ToArray());
    }

    [TestMethod]
    public void CommandLineSettingsBeatEveryFile()
    {
        using var files = new ConfigTestFiles();
        var file = files.Write("a.yaml", "train:\n  epochs: 12\n");
        var o = files.Builder()
            .Set(ConfigSetting.Parse("train.epochs=3"))
            .AddFile(file)
            .Build().Options;

        // Layers apply in the order added; a request builds files first, then settings.
        Assert.AreEqual(12, o.Train.Epochs);

        var launcher = new TrainLauncher(ConfigTestFiles.Presets, new UlcAg.Training.Trainer.UlcAgTrainer(), TextWriter.Null, TextWriter.Null, files.Root);
        var loaded = launcher.Load(new TrainRequest
        {
            Settings = [ConfigSetting.Parse("train.epochs=3"), ConfigSetting.Parse("train.epochs=4"), new ConfigSetting("train.epochs", "5", IsLiteral: true, "--epochs 5")],
            Configs = [file],
        });
        Assert.AreEqual(5, loaded.Options.Train.Epochs, "overrides apply after all files, in their own order");
    }

    [TestMethod]
    public void NullResetsAValueAndAnEmptySectionKeepsDefaults()
    {
        using var files = new ConfigTestFiles();
        var o = files.Builder()
            .AddYaml("run_name: first\ndata:\n  classes: [Happiness, Sadness]\n", "a")
            .AddYaml("run_name: null\ndata:\n  classes: ~\naugment:\n", "b")
            .Build().Options;
        Assert.IsNull(o.RunName);
        Assert.IsNull(o.Data.Classes);
        Assert.AreEqual(0.25, o.Augment.Erase);
    }

    [TestMethod]
    public void RelativePathsResolveAgainstTheBaseDirectory()
    {
        using var files = new ConfigTestFiles();
        files.Folder("data/raf");
        files.Write("data/raf/aus.csv", "file,AU01_c\n");
        files.Write("noisy.txt", "train_00001.jpg 1\n");
        files.Write("w/r18.pth", "not checked here");
        var o = files.Builder().AddYaml("""
            output: out/runs
            data:
              format: rafdb
              root: data/raf
              cache_dir: cache
              au: {source: openface, path: data/raf/aus.csv}
              noise: {list: noisy.txt}
            model:
              pretrained: w/r18.pth
            """, "paths.yaml").Build().Options;
        Assert.AreEqual(Path.Combine(files.Root, "out", "runs"), o.Output);
        Assert.AreEqual(Path.Combine(files.Root, "data", "raf"), o.Data.Root);
        Assert.AreEqual(Path.Combine(files.Root, "cache"), o.Data.CacheDir);
        Assert.AreEqual(Path.Combine(files.Root, "data", "raf", "aus.csv"), o.Data.Au.Path);
        Assert.AreEqual(Path.Combine(files.Root, "noisy.txt"), o.Data.Noise.List);
        Assert.AreEqual(Path.Combine(files.Root, "w", "r18.pth"), o.Model.Pretrained);
    }

    [TestMethod]
    public void ResumeLoadsTheStoredConfigurationAndAllowsOverrides()
    {
        using var files = new ConfigTestFiles();
        var stored = new TrainOptions { Seed = 42, RunName = "old", Train = new TrainLoopOptions { Epochs = 8, LrMilestones = [4] } };
        var runDir = files.Folder("runs/old");
        OptionsYaml.WriteFile(stored, Path.Combine(runDir, RunFolder.ConfigFile));

        var launcher = new TrainLauncher(ConfigTestFiles.Presets, new UlcAg.Training.Trainer.UlcAgTrainer(), TextWriter.Null, TextWriter.Null, files.Root);
        var o = launcher.Load(new TrainRequest { Resume = "runs/old", Settings = [new ConfigSetting("train.epochs", "10", IsLiteral: true, "--epochs 10")] }).Options;
        Assert.AreEqual(42, o.Seed);
        Assert.AreEqual("old", o.RunName);
        Assert.AreEqual(10, o.Train.Epochs);
        CollectionAssert.AreEqual(new[] { 4 }, o.Train.LrMilestones.ToArray());
        Assert.AreEqual(runDir, o.ResumeFrom);
        Assert.AreEqual(runDir, o.RunDirectory);

        var missing = Assert.ThrowsExactly<ConfigException>(() => launcher.Load(new TrainRequest { Resume = "runs/none" }));
        StringAssert.Contains(missing.Message, "run directory 'runs/none' does not exist");
        files.Folder("runs/empty");
        var empty = Assert.ThrowsExactly<ConfigException>(() => launcher.Load(new TrainRequest { Resume = "runs/empty" }));
        StringAssert.Contains(empty.Message, "holds no config.yaml");
    }

    [TestMethod]
    public void ResumeRefusesChangesOutsideTheSafeKeysNamingBothValues()
    {
        using var files = new ConfigTestFiles();
        var stored = new TrainOptions { Seed = 42, RunName = "old", Train = new TrainLoopOptions { Epochs = 8, LrMilestones = [4] } };
        var runDir = files.Folder("runs/old");
        OptionsYaml.WriteFile(stored, Path.Combine(runDir, RunFolder.ConfigFile));
        OptionsYaml.WriteFile(stored, ResumeCheck.ReferenceFile(runDir));
        var launcher = new TrainLauncher(ConfigTestFiles.Presets, new UlcAg.Training.Trainer.UlcAgTrainer(), TextWriter.Null, TextWriter.Null, files.Root);
        TrainRequest Resume(params string[] settings) => new() { Resume = "runs/old", Settings = [.. settings.Select(ConfigSetting.Parse)] };

        // The seed and the training set size would draw other samples for the checkpoint's labels.
        var refused = Assert.ThrowsExactly<ConfigException>(() => launcher.Load(Resume("seed=7", "data.synthetic.train=500", "train.lr=0.001")));
        Assert.HasCount(2, refused.Errors);
        StringAssert.Contains(refused.Message, "seed: is 7 here, but the run was trained with 42");
        StringAssert.Contains(refused.Message, "data.synthetic.train: is 500 here, but the run was trained with 3000");
        StringAssert.Contains(refused.Message, "may change only train.epochs");

        // An edit of config.yaml is caught too: the reference is the copy kept with the checkpoints.
        OptionsYaml.WriteFile(stored with { Model = new ModelOptions { NodeDim = 32 } }, Path.Combine(runDir, RunFolder.ConfigFile));
        StringAssert.Contains(Assert.ThrowsExactly<ConfigException>(() => launcher.Load(Resume())).Message, "model.node_dim: is 32 here, but the run was trained with 64");

        // Length, rates and hardware may change.
        OptionsYaml.WriteFile(stored, Path.Combine(runDir, RunFolder.ConfigFile));
        var o = launcher.Load(Resume("train.epochs=12", "train.lr=0.001", "threads=1", "device=cpu", "train.workers=0")).Options;
        Assert.AreEqual(12, o.Train.Epochs);
        Assert.AreEqual(0.001, o.Train.Lr);
    }

    [TestMethod]
    public void AUserDatasetDoesNotInheritThePresetsLabelNoise()
    {
        using var files = new ConfigTestFiles();
        files.Folder("photos");
        var launcher = new TrainLauncher(ConfigTestFiles.Presets, new UlcAg.Training.Trainer.UlcAgTrainer(), TextWriter.Null, TextWriter.Null, files.Root);
        NoiseOptions Noise(params string[] settings) => launcher.Load(new TrainRequest { Settings = [.. settings.Select(ConfigSetting.Parse)] }).Options.Data.Noise;

        Assert.AreEqual(0.2, Noise().Rate, "the demo preset injects 20% on its synthetic faces");
        Assert.AreEqual(0.2, Noise("data.format=synthetic").Rate, "the same format keeps the preset's noise");
        // README's example: the user's own photos are trained on their labels as given.
        Assert.AreEqual(0, Noise("data.format=folder", "data.root=photos", "method=target-only").Rate);
        Assert.AreEqual(0, Noise("data.format=csv", "data.root=photos", "method=target-only").Rate);
        // Noise set with or after the new format is the user's choice and applies.
        Assert.AreEqual(0.3, Noise("data.format=folder", "data.root=photos", "method=target-only", "data.noise.rate=0.3").Rate);
        Assert.AreEqual(0.1, Noise("data={format: folder, root: photos, noise: {rate: 0.1}}", "method=target-only").Rate);
    }
}
