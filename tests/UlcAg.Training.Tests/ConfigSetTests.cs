using UlcAg.Runtime;
using UlcAg.Training.Config;
using UlcAg.Network.Models;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class ConfigSetTests
{
    private static TrainOptions With(params string[] assignments)
    {
        using var files = new ConfigTestFiles();
        var builder = files.Builder();
        foreach (var assignment in assignments)
        {
            builder.Set(ConfigSetting.Parse(assignment));
        }

        return builder.Build().Options;
    }

    [TestMethod]
    public void ScalarsAreTypedByTheSchema()
    {
        var o = With("seed=17", "train.lr=2.5e-3", "augment.flip=false", "method=aux-only", "run_name=my run", "device=CUDA:1", "model.semantic_feature=node_features");
        Assert.AreEqual(17, o.Seed);
        Assert.AreEqual(0.0025, o.Train.Lr);
        Assert.IsFalse(o.Augment.Flip);
        Assert.AreEqual(Method.AuxOnly, o.Method);
        Assert.AreEqual("my run", o.RunName);
        Assert.AreEqual(new Device(true, 1), Device.Parse(o.Device));
        Assert.AreEqual(SemanticFeature.NodeFeatures, o.Model.SemanticFeature);
    }

    [TestMethod]
    public void AblationSwitchesAndNoiseKindsBind()
    {
        Assert.IsTrue(With().UlcAg.ClassWeights, "eq. 2 on by default");
        var o = With("ulcag.class_weights=false", "data.noise.kind=confusable", "data.noise.rate=0.3");
        Assert.IsFalse(o.UlcAg.ClassWeights);
        Assert.AreEqual(UlcAg.Data.Noise.NoiseKind.Confusable, o.Data.Noise.Kind);
    }

    [TestMethod]
    public void ListsAreFlowSequences()
    {
        var o = With("train.lr_milestones=[5,8]", "augment.scale=[0.6, 0.95]", "data.classes=[Happiness, Sadness, Neutral]");
        CollectionAssert.AreEqual(new[] { 5, 8 }, o.Train.LrMilestones.ToArray());
        CollectionAssert.AreEqual(new[] { 0.6, 0.95 }, o.Augment.Scale.ToArray());
        CollectionAssert.AreEqual(new[] { "Happiness", "Sadness", "Neutral" }, o.Data.Classes!.ToArray());
        Assert.AreEqual(0, With("train.lr_milestones=[]").Train.LrMilestones.Count);
    }

    [TestMethod]
    public void NestedKeysAndSectionsCanBeSet()
    {
        var o = With("data.noise.rate=0.3", "data.synthetic.au_error_rate=0.2", "ulcag={rr_ratio: 0.75, relabel_margin: 0.05}");
        Assert.AreEqual(0.3, o.Data.Noise.Rate);
        Assert.AreEqual(0.2, o.Data.Synthetic.AuErrorRate);
        Assert.AreEqual(0.75, o.UlcAg.RrRatio);
        Assert.AreEqual(0.05, o.UlcAg.RelabelMargin);
        Assert.AreEqual(0.15, o.UlcAg.RrMargin, "a section set on the command line merges with the layers below");
    }

    [TestMethod]
    public void NullEmptyAndQuotedValues()
    {
        Assert.IsNull(With("run_name=first", "run_name=").RunName);
        Assert.IsNull(With("run_name=first", "run_name=null").RunName);
        Assert.AreEqual("null", With("run_name='null'").RunName);
        Assert.AreEqual("a=b", With("run_name=a=b").RunName, "only the first '=' splits key and value");
    }

    [TestMethod]
    public void LiteralSettingsAreNeverReadAsYaml()
    {
        using var files = new ConfigTestFiles();
        var o = files.Builder().Set(new ConfigSetting("run_name", "null", IsLiteral: true, "--x")).Build().Options;
        Assert.AreEqual("null", o.RunName);
    }

    [TestMethod]
    public void MalformedSettingsNameTheArgument()
    {
        var noEquals = Assert.ThrowsExactly<ConfigException>(() => ConfigSetting.Parse("train.lr"));
        StringAssert.Contains(noEquals.Message, "expected key.path=value");

        using var files = new ConfigTestFiles();
        var badKey = Assert.ThrowsExactly<ConfigException>(() => files.Builder().Set(ConfigSetting.Parse("train..lr=1")));
        Assert.AreEqual("--set train..lr=1", badKey.Errors[0].Location!.Source);
        StringAssert.Contains(badKey.Message, "is not a key path");

        var badYaml = Assert.ThrowsExactly<ConfigException>(() => files.Builder().Set(ConfigSetting.Parse("train.lr_milestones=[5,8")));
        Assert.AreEqual("--set train.lr_milestones=[5,8", badYaml.Errors[0].Location!.Source);
        StringAssert.Contains(badYaml.Message, "invalid YAML");
    }
}
