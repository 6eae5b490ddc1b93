using UlcAg.Data.Loading;
using UlcAg.Data.Synthetic;
using UlcAg.Training.Config;
using UlcAg.Network.Models;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class ConfigErrorTests
{
    private static ConfigException Fails(ConfigTestFiles files, string yaml, string name = "bad.yaml") =>
        Assert.ThrowsExactly<ConfigException>(() => files.Builder().AddFile(files.Write(name, yaml), name).Build());

    private static ConfigMessage Single(ConfigException e, string key)
    {
        Assert.AreEqual(1, e.Errors.Count, e.Message);
        Assert.AreEqual(key, e.Errors[0].Key, e.Message);
        return e.Errors[0];
    }

    [TestMethod]
    public void UnknownKeysNameFileLineAndSuggestion()
    {
        using var files = new ConfigTestFiles();
        var e = Fails(files, "method: ulcag\ntrain:\n  epochs: 3\n  learning_rat: 0.1\nseeed: 1\n");
        Assert.AreEqual(2, e.Errors.Count, e.Message);
        var nested = e.Errors.Single(m => m.Key == "train.learning_rat");
        Assert.AreEqual(new ConfigLocation("bad.yaml", 4, 3), nested.Location);
        StringAssert.Contains(nested.Text, "unknown key in section train");
        var top = e.Errors.Single(m => m.Key == "seeed");
        Assert.AreEqual(5, top.Location!.Line);
        StringAssert.Contains(top.Text, "did you mean 'seed'?");
        StringAssert.StartsWith(top.ToString(), "bad.yaml:5:1: seeed: unknown key at the top level");
    }

    [TestMethod]
    public void WrongTypesNameTheKeyPathAndLine()
    {
        using var files = new ConfigTestFiles();
        var e = Fails(files, "train:\n  epochs: many\n  lr_milestones: [5, x]\naugment:\n  flip: yes\nmodel: imagenet\n");
        var byKey = e.Errors.ToDictionary(m => m.Key);
        Assert.AreEqual(4, e.Errors.Count, e.Message);
        Assert.AreEqual("is 'many'; expected a whole number", byKey["train.epochs"].Text);
        Assert.AreEqual(2, byKey["train.epochs"].Location!.Line);
        Assert.AreEqual(new ConfigLocation("bad.yaml", 3, 22), byKey["train.lr_milestones[1]"].Location);
        Assert.AreEqual("is 'yes'; expected true or false", byKey["augment.flip"].Text);
        StringAssert.StartsWith(byKey["model"].Text, "is 'imagenet'; expected a section with keys pretrained, semantic_feature");
    }

    [TestMethod]
    public void ListsAndSectionsInTheWrongShape()
    {
        using var files = new ConfigTestFiles();
        var e = Fails(files, "train:\n  lr_milestones: 10\n  lr: [0.1]\n");
        var byKey = e.Errors.ToDictionary(m => m.Key);
        StringAssert.Contains(byKey["train.lr_milestones"].Text, "expected a list of whole numbers");
        Assert.AreEqual("is a list; expected a number", byKey["train.lr"].Text);
        Assert.AreEqual("is null; expected a whole number", Single(Fails(files, "seed:\n"), "seed").Text);
    }

    [TestMethod]
    public void AuLossIsBceOrForwardWithARateInItsRange()
    {
        using var files = new ConfigTestFiles();
        var defaults = files.Builder().Build().Options.Model;
        Assert.AreEqual(AuLossKind.Bce, defaults.AuLoss);
        Assert.IsNull(defaults.AuFalsePositiveRate, "estimated from the training labels unless given");
        var set = files.Builder().AddFile(files.Write("ok.yaml", "model:\n  au_loss: forward\n  au_false_positive_rate: 0.08\n"), "ok.yaml").Build().Options.Model;
        Assert.AreEqual(AuLossKind.Forward, set.AuLoss);
        Assert.AreEqual(0.08, set.AuFalsePositiveRate);
        Assert.AreEqual("model.au_loss", Single(Fails(files, "model:\n  au_loss: focal\n"), "model.au_loss").Key);
        var m = Single(Fails(files, "model:\n  au_loss: forward\n  au_false_positive_rate: 0.7\n"), "model.au_false_positive_rate");
        StringAssert.Contains(m.Text, "0.7");
        Assert.AreEqual(3, m.Location!.Line);
        // The documented bounds are accepted; a rate without the forward loss is a warning, not silence.
        foreach (var edge in new[] { "0.001", "0.5" })
            Assert.AreEqual(double.Parse(edge, System.Globalization.CultureInfo.InvariantCulture),
                files.Builder().AddFile(files.Write("edge.yaml", $"model:\n  au_loss: forward\n  au_false_positive_rate: {edge}\n"), "edge.yaml").Build().Options.Model.AuFalsePositiveRate);
        var unused = files.Builder().AddFile(files.Write("unused.yaml", "model:\n  au_false_positive_rate: 0.08\n"), "unused.yaml").Build();
        Assert.AreEqual("model.au_false_positive_rate", unused.Warnings.Single().Key);
        StringAssert.Contains(unused.Warnings.Single().Text, "au_loss is bce");
    }

    [TestMethod]
    public void MemoryBudgetIsAllOrWholeMebibytes()
    {
        using var files = new ConfigTestFiles();
        Assert.AreEqual(0L, files.Builder().Build().Options.Train.MemoryBudgetBytes, "the default keeps nothing");
        Assert.AreEqual(long.MaxValue, files.Builder().AddFile(files.Write("all.yaml", "train: {memory_budget: all}\n"), "all.yaml").Build().Options.Train.MemoryBudgetBytes);
        var set = files.Builder().AddFile(files.Write("ok.yaml", "train:\n  memory_budget: 256\n"), "ok.yaml").Build().Options.Train;
        Assert.AreEqual(256L << 20, set.MemoryBudgetBytes);
        Assert.AreEqual(0L, files.Builder().AddFile(files.Write("zero.yaml", "train: {memory_budget: 0}\n"), "zero.yaml").Build().Options.Train.MemoryBudgetBytes);
        foreach (var bad in new[] { "lots", "-5", "1.5", "2000000" })
        {
            var m = Single(Fails(files, $"train:\n  memory_budget: {bad}\n"), "train.memory_budget");
            Assert.AreEqual($"is '{bad}'; expected 'all' or a whole number of MiB, 0..1048576", m.Text);
            Assert.AreEqual(2, m.Location!.Line);
        }
    }

    [TestMethod]
    public void UnknownEnumWordsListTheChoices()
    {
        using var files = new ConfigTestFiles();
        var m = Single(Fails(files, "data:\n  format: raf\n"), "data.format");
        Assert.AreEqual("is 'raf'; expected one of synthetic, rafdb, affectnet, affectnet-auto, fer2013, ferplus, folder, csv", m.Text);
        Assert.AreEqual(2, m.Location!.Line);
        StringAssert.Contains(Single(Fails(files, "train: {optimizer: rmsprop}\n"), "train.optimizer").Text, "sgd, adam, adamw");
    }

    [TestMethod]
    public void OutOfRangeValues()
    {
        using var files = new ConfigTestFiles();
        var e = Fails(files, """
            threads: -1
            train:
              lr: 0
              epochs: 0
              momentum: 1
            data:
              val_fraction: 0.7
              noise: {rate: 1.5}
            ulcag: {rr_ratio: 1.0}
            augment: {scale: [0.9, 0.5]}
            """);
        var byKey = e.Errors.ToDictionary(m => m.Key);
        Assert.AreEqual("is 0; expected a number greater than 0 and at most 10", byKey["train.lr"].Text);
        Assert.AreEqual(3, byKey["train.lr"].Location!.Line);
        Assert.AreEqual("is 0; expected a whole number from 1 to 100000", byKey["train.epochs"].Text);
        Assert.AreEqual("is 1; expected a number at least 0 and less than 1", byKey["train.momentum"].Text);
        Assert.AreEqual("is -1; expected a whole number from 0 to 1024", byKey["threads"].Text);
        Assert.IsTrue(byKey.ContainsKey("data.val_fraction"));
        Assert.IsTrue(byKey.ContainsKey("data.noise.rate"));
        Assert.IsTrue(byKey.ContainsKey("ulcag.rr_ratio"));
        StringAssert.Contains(byKey["augment.scale"].Text, "min 0.9 is larger than max 0.5");
    }

    [TestMethod]
    public void TheDataLayersRecordsCheckTheirOwnSettings()
    {
        // One check per setting: the configuration reports it with the key's location, the data layer throws it.
        using var files = new ConfigTestFiles();
        var e = Fails(files, "augment: {erase: 2}\ndata:\n  synthetic: {au_error_rate: 0.9}\n  au: {threshold: 6}\n");
        var byKey = e.Errors.ToDictionary(m => m.Key);
        const string Erase = "is 2; expected a number at least 0 and at most 1";
        Assert.AreEqual(Erase, byKey["augment.erase"].Text);
        Assert.AreEqual(1, byKey["augment.erase"].Location!.Line);
        Assert.AreEqual(3, byKey["data.synthetic.au_error_rate"].Location!.Line);
        Assert.AreEqual(4, byKey["data.au.threshold"].Location!.Line);

        var thrown = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AugmentOptions { Erase = 2 }.Validate());
        StringAssert.Contains(thrown.Message, "erase " + Erase);
        var synthetic = Assert.ThrowsExactly<SyntheticDataException>(() => new SyntheticFaceOptions { AuErrorRate = 0.9 }.Validate());
        StringAssert.Contains(synthetic.Message, "au_error_rate " + byKey["data.synthetic.au_error_rate"].Text);
    }

    [TestMethod]
    public void MilestonesMustIncrease()
    {
        using var files = new ConfigTestFiles();
        var m = Single(Fails(files, "train:\n  lr_milestones: [10, 10]\n"), "train.lr_milestones[1]");
        StringAssert.Contains(m.Text, "strictly increasing");
        Assert.AreEqual(new ConfigLocation("bad.yaml", 2, 23), m.Location);
    }

    [TestMethod]
    public void RealDatasetsNeedAnExistingRoot()
    {
        using var files = new ConfigTestFiles();
        var unset = Single(Fails(files, "method: baseline\ndata:\n  format: fer2013\n"), "data.root");
        StringAssert.Contains(unset.Text, "format 'fer2013' needs the dataset's root folder");
        Assert.AreEqual(3, unset.Location!.Line, "a missing key points at the key that requires it");

        var missing = Single(Fails(files, "method: baseline\ndata:\n  format: folder\n  root: nowhere\n"), "data.root");
        StringAssert.Contains(missing.Text, $"folder '{Path.Combine(files.Root, "nowhere")}' does not exist");
        Assert.AreEqual(4, missing.Location!.Line);
    }

    [TestMethod]
    public void FilesThatDoNotExist()
    {
        using var files = new ConfigTestFiles();
        var e = Fails(files, """
            data:
              detector: models/yunet.onnx
              noise: {list: lists/noisy.txt}
            model:
              pretrained: imagnet
            """);
        var byKey = e.Errors.ToDictionary(m => m.Key);
        Assert.AreEqual(3, e.Errors.Count, e.Message);
        StringAssert.Contains(byKey["data.detector"].Text, "yunet.onnx' does not exist");
        StringAssert.Contains(byKey["data.noise.list"].Text, "noisy.txt' does not exist; expected the noisy label list");
        StringAssert.Contains(byKey["model.pretrained"].Text, "expected imagenet, none, or a .pth/.safetensors weights file");
        Assert.AreEqual(5, byKey["model.pretrained"].Location!.Line);

        var detector = Single(Fails(files, "data: {detector: " + files.Write("d.txt", "") + "}\n"), "data.detector");
        StringAssert.Contains(detector.Text, "expected blazeface, haar, none, a Haar cascade .xml or a YuNet .onnx file");
    }

    [TestMethod]
    public void AuLabelsAreRequiredWhereTheMethodNeedsThem()
    {
        using var files = new ConfigTestFiles();
        var root = files.Folder("raf");
        var m = Single(Fails(files, $"method: ulcag\ndata:\n  format: rafdb\n  root: {root}\n"), "data.au.source");
        StringAssert.Contains(m.Text, "method 'ulcag' trains the AU graph branch and needs AU pseudo-labels");
        Assert.AreEqual(1, m.Location!.Line, "points at the method");

        files.Builder().AddYaml($"method: target-only\ndata:\n  format: rafdb\n  root: {root}\n", "ok").Build();

        var path = Single(Fails(files, $"data:\n  format: rafdb\n  root: {root}\n  au: {{source: generic, path: none.csv}}\n"), "data.au.path");
        StringAssert.Contains(path.Text, "none.csv' does not exist");

        var synthetic = Single(Fails(files, "data:\n  au: {source: openface, path: x}\n"), "data.au.source");
        StringAssert.Contains(synthetic.Text, "the synthetic dataset brings its own AU pseudo-labels");

        var subset = Single(Fails(files, "data:\n  au: {subset: [AU1, AU01, AU12]}\n"), "data.au.subset[1]");
        StringAssert.Contains(subset.Text, "listed twice");
        Single(Fails(files, "data:\n  au: {subset: [AU1, smile]}\n"), "data.au.subset[1]");
    }

    [TestMethod]
    public void CrossFieldRules()
    {
        using var files = new ConfigTestFiles();
        // The check counts the groups as the graph and the trainer split them: round(phi n).
        var groups = Single(Fails(files, "train: {batch_size: 4}\nulcag: {rr_ratio: 0.1}\n"), "ulcag.rr_ratio");
        StringAssert.Contains(groups.Text, "puts 0 of 4 samples in the high-confidence group");
        files.Builder().AddYaml("train: {batch_size: 4}\nulcag: {rr_ratio: 0.2}\n", "ok").Build();

        Single(Fails(files, "method: scn\ntrain: {batch_size: 2}\nscn: {rr_ratio: 0.2}\n"), "scn.rr_ratio");
        files.Builder().AddYaml("method: baseline\ntrain: {batch_size: 2}\nscn: {rr_ratio: 0.3}\nulcag: {rr_ratio: 0.2}\n", "ok").Build();

        var small = Single(Fails(files, "data:\n  synthetic: {train: 100}\ntrain: {batch_size: 128}\n"), "data.synthetic.train");
        StringAssert.Contains(small.Text, "gives 90 training images after the validation hold-out, fewer than train.batch_size (128)");

        var both = Single(Fails(files, "data:\n  noise: {rate: 0.2, list: " + files.Write("n.txt", "") + "}\n"), "data.noise.list");
        StringAssert.Contains(both.Text, "expected one of the two");

        Assert.AreEqual(2, Fails(files, "data: {val_split: train}\n").Errors.Count(m => m.Key == "data.val_split"), "the training split, and no such synthetic split");
        StringAssert.Contains(Single(Fails(files, "data: {test_split: val}\n"), "data.test_split").Text, "the synthetic dataset's splits are train and test");
        Single(Fails(files, "device: gpu\n"), "device");
        Single(Fails(files, "run_name: a/b\n"), "run_name");
    }

    [TestMethod]
    public void WarningsDoNotStopTheRun()
    {
        using var files = new ConfigTestFiles();
        var config = files.Builder().AddYaml("train:\n  epochs: 5\n", "short.yaml").Build();
        var keys = config.Warnings.Select(w => w.Key).ToArray();
        CollectionAssert.AreEquivalent(new[] { "train.lr_milestones[0]", "train.lr_milestones[1]", "ulcag.relabel_start_epoch" }, keys);
        Assert.AreEqual("short.yaml", config.Warnings[0].Location!.Source, "a default inside a section written in a file points at the section");
    }

    [TestMethod]
    public void YamlSyntaxErrorsNameTheLine()
    {
        using var files = new ConfigTestFiles();
        var syntax = Assert.ThrowsExactly<ConfigException>(() => files.Builder().AddYaml("train:\n  epochs: [3\n  lr: 0.1\n", "broken.yaml"));
        Assert.AreEqual("broken.yaml", syntax.Errors[0].Location!.Source);
        Assert.IsTrue(syntax.Errors[0].Location!.Line >= 2, syntax.Message);
        StringAssert.StartsWith(syntax.Errors[0].Text, "invalid YAML: ");
        Assert.IsFalse(syntax.Message.Contains("Idx:", StringComparison.Ordinal), syntax.Message);

        var duplicate = Assert.ThrowsExactly<ConfigException>(() => files.Builder().AddYaml("train:\n  lr: 0.1\n  lr: 0.2\n", "dup.yaml"));
        Assert.AreEqual(new ConfigLocation("dup.yaml", 3, 3), duplicate.Errors[0].Location);
        Assert.AreEqual("train.lr", duplicate.Errors[0].Key);
        StringAssert.Contains(duplicate.Message, "appears twice in one section (first at line 2)");

        var notMapping = Assert.ThrowsExactly<ConfigException>(() => files.Builder().AddYaml("- a\n- b\n", "list.yaml"));
        StringAssert.Contains(notMapping.Message, "expected a mapping of keys");

        var twoDocs = Assert.ThrowsExactly<ConfigException>(() => files.Builder().AddYaml("seed: 1\n---\nseed: 2\n", "two.yaml"));
        StringAssert.Contains(twoDocs.Message, "a second YAML document");

        var missing = Assert.ThrowsExactly<ConfigException>(() => files.Builder().AddFile("nope.yaml"));
        StringAssert.Contains(missing.Message, "configuration file 'nope.yaml' does not exist");
    }

    [TestMethod]
    public void EmptyFilesAndAnchorsAreAccepted()
    {
        using var files = new ConfigTestFiles();
        var o = files.Builder()
            .AddYaml("# only a comment\n", "empty.yaml")
            .AddYaml("train:\n  lr: &rate 0.02\n  aux_lr: *rate\n", "anchors.yaml")
            .Build().Options;
        Assert.AreEqual(0.02, o.Train.AuxLr);
    }

    [TestMethod]
    public void AMicroBatchMustDivideTheBatch()
    {
        using var files = new ConfigTestFiles();
        (string Yaml, string Key, string Text)[] cases =
        [
            ("train:\n  batch_size: 64\n  micro_batch_size: 24\n", "train.micro_batch_size",
                "is 24, which does not divide train.batch_size 64; expected a divisor of the batch size, e.g. 16 or 32"),
            ("train: {batch_size: 64, micro_batch_size: 128}\n", "train.micro_batch_size", "is 128; expected a whole number from 2 to 64"),
            ("train: {batch_size: 64, micro_batch_size: 1}\n", "train.micro_batch_size", "is 1; expected a whole number from 2 to 64"),
            // L_rr splits each micro-batch, so phi must leave both groups occupied there.
            ("train: {batch_size: 64, micro_batch_size: 4}\nulcag: {rr_ratio: 0.9}\n", "ulcag.rr_ratio",
                "0.9 of train.micro_batch_size 4 puts 4 of 4 samples in the high-confidence group; expected at least one sample in each group"),
        ];
        foreach (var (yaml, key, text) in cases) Assert.AreEqual(text, Single(Fails(files, yaml), key).Text, yaml);
        Assert.AreEqual(3, Single(Fails(files, cases[0].Yaml), cases[0].Key).Location!.Line, "the line of micro_batch_size");
        Assert.AreEqual(8, files.Builder().AddYaml("train: {batch_size: 64, micro_batch_size: 8}\n", "ok").Build().Options.Train.AccumulationSteps);
        Assert.AreEqual(1, files.Builder().AddYaml("train: {batch_size: 64}\n", "ok").Build().Options.Train.AccumulationSteps, "no accumulation by default");
    }
}
