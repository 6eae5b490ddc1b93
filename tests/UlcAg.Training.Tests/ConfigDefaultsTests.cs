using UlcAg.Data.Formats;
using UlcAg.Graph;
using UlcAg.Graph.Optim;
using UlcAg.Runtime;
using UlcAg.Data.AuLabels;
using UlcAg.Data.Faces;
using UlcAg.Data.Issues;
using UlcAg.Data.Loading;
using UlcAg.Data.Noise;
using UlcAg.Training.Config;
using UlcAg.Network.Layers;
using UlcAg.Network.Models;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class ConfigDefaultsTests
{
    [TestMethod]
    public void DefaultsMatchTheDocumentedSchema()
    {
        using var files = new ConfigTestFiles();
        var config = files.Builder().Build();
        var o = config.Options;

        Assert.AreEqual(Method.UlcAg, o.Method);
        Assert.AreEqual(0, o.Seed);
        Assert.AreEqual("cpu", o.Device);
        Assert.AreEqual(Device.Cpu, Device.Parse(o.Device));
        Assert.AreEqual(Path.Combine(files.Root, "artifacts", "runs"), o.Output);
        Assert.IsNull(o.RunName);
        Assert.AreEqual(0, o.Threads);
        Assert.IsNull(o.ResumeFrom);

        Assert.AreEqual(DataFormat.Synthetic, o.Data.Format);
        Assert.IsNull(o.Data.Root);
        Assert.AreEqual("train", o.Data.TrainSplit);
        Assert.AreEqual("test", o.Data.TestSplit);
        Assert.IsNull(o.Data.ValSplit);
        Assert.AreEqual(0.1, o.Data.ValFraction);
        Assert.AreEqual(112, o.Data.InputSize);
        Assert.IsNull(o.Data.Classes);
        Assert.AreEqual(AlignMode.Auto, o.Data.Align);
        Assert.AreEqual(0.2, o.Data.Margin);
        Assert.AreEqual("blazeface", o.Data.Detector);
        Assert.AreEqual(Path.Combine(files.Root, "artifacts", "cache"), o.Data.CacheDir);
        Assert.AreEqual(IssuePolicy.Fail, o.Data.BadInput);
        Assert.AreEqual(AuSource.None, o.Data.Au.Source);
        Assert.AreEqual(AuMode.Presence, o.Data.Au.Mode);
        Assert.AreEqual(1.0, o.Data.Au.Threshold);
        Assert.AreEqual(0.0, o.Data.Noise.Rate);
        Assert.AreEqual(NoiseKind.Symmetric, o.Data.Noise.Kind);
        Assert.IsNull(o.Data.Noise.List);
        Assert.IsNull(o.Data.Noise.Seed);
        Assert.AreEqual(3000, o.Data.Synthetic.Train);
        Assert.AreEqual(750, o.Data.Synthetic.Test);
        Assert.AreEqual(1.0, o.Data.Synthetic.Difficulty);
        Assert.AreEqual(0.1, o.Data.Synthetic.AuErrorRate);

        Assert.AreEqual(CropMode.Resized, o.Augment.Crop);
        CollectionAssert.AreEqual(new[] { 0.8, 1.0 }, o.Augment.Scale.ToArray());
        Assert.IsTrue(o.Augment.Flip);
        Assert.AreEqual(0.25, o.Augment.Erase);

        Assert.AreEqual("imagenet", o.Model.Pretrained);
        Assert.AreEqual(SemanticFeature.AuScores, o.Model.SemanticFeature);
        Assert.AreEqual(64, o.Model.NodeDim);
        Assert.AreEqual(64, o.Model.GcnChannels);
        Assert.AreEqual(0.2, o.Model.LeakySlope);
        Assert.IsFalse(o.Model.AlphaThroughAuLoss);
        Assert.IsFalse(o.Model.AuLossAlpha);
        Assert.IsTrue(o.Model.GcnSelfWeight);

        Assert.AreEqual(30, o.Train.Epochs);
        Assert.AreEqual(64, o.Train.BatchSize);
        Assert.AreEqual(OptimizerKind.Sgd, o.Train.Optimizer);
        Assert.AreEqual(0.9, o.Train.Momentum);
        Assert.AreEqual(1e-4, o.Train.WeightDecay);
        Assert.AreEqual(0.01, o.Train.Lr);
        Assert.AreEqual(0.005, o.Train.AuxLr);
        CollectionAssert.AreEqual(new[] { 10, 20 }, o.Train.LrMilestones.ToArray());
        Assert.AreEqual(0.1, o.Train.LrGamma);
        Assert.AreEqual(2, o.Train.Workers);
        Assert.AreEqual(128, o.Train.EvalBatchSize);
        Assert.AreEqual(1, o.Train.CheckpointEvery);

        Assert.AreEqual(0.8, o.UlcAg.RrRatio);
        Assert.AreEqual(0.15, o.UlcAg.RrMargin);
        Assert.AreEqual(10.0, o.UlcAg.RampBeta);
        Assert.AreEqual(10, o.UlcAg.RelabelStartEpoch);
        Assert.AreEqual(0.0, o.UlcAg.RelabelMargin);
        Assert.AreEqual(0.9, o.UlcAg.TemplateMomentum);
        Assert.AreEqual(0, o.UlcAg.AuxStartEpoch);

        Assert.AreEqual(0.7, o.Scn.RrRatio);
        Assert.AreEqual(0.15, o.Scn.RrMargin);
        Assert.AreEqual(0.2, o.Scn.RelabelThreshold);
        Assert.AreEqual(10, o.Scn.RelabelStartEpoch);

        Assert.AreEqual(0, config.Warnings.Count);
    }

    [TestMethod]
    public void TheNetworkTakesTheModelSectionsKnobsNotItsOwnDefaults()
    {
        // NetworkOptions' own defaults are the paper's (au_loss_alpha on, no self weight); a run takes the section's.
        var defaults = new ModelOptions().ToNetwork(classes: 7, inputSize: 112, auCount: 12, Normalization.ImageNet, ConvLowering.None);
        Assert.IsFalse(defaults.AuLossAlpha);
        Assert.IsTrue(defaults.GcnSelfWeight);

        var model = new ModelOptions
        {
            SemanticFeature = SemanticFeature.NodeFeatures, NodeDim = 8, GcnChannels = 9, LeakySlope = 0.3,
            AlphaThroughAuLoss = true, AuLossAlpha = true, GcnSelfWeight = false,
        };
        var net = model.ToNetwork(classes: 3, inputSize: 48, auCount: 5, Normalization.ImageNet, ConvLowering.NhwcGemm);
        Assert.AreEqual(
            new NetworkOptions
            {
                Classes = 3, InputSize = 48, AuCount = 5, Normalization = Normalization.ImageNet, ConvLowering = ConvLowering.NhwcGemm,
                Semantic = SemanticFeature.NodeFeatures, NodeDim = 8, GcnChannels = 9, LeakySlope = 0.3,
                AlphaThroughAuLoss = true, AuLossAlpha = true, GcnSelfWeight = false,
            },
            net);
    }

    [TestMethod]
    public void LearningRateFactorFollowsTheMilestones()
    {
        var train = new TrainLoopOptions();
        Assert.AreEqual(1.0, train.LrFactor(0));
        Assert.AreEqual(1.0, train.LrFactor(9));
        Assert.AreEqual(0.1, train.LrFactor(10), 1e-12);
        Assert.AreEqual(0.1, train.LrFactor(19), 1e-12);
        Assert.AreEqual(0.01, train.LrFactor(20), 1e-12);
    }

    [TestMethod]
    public void RunNameIsGeneratedFromMethodDatasetAndTime()
    {
        var options = new TrainOptions { Method = Method.TargetOnly, Output = "/runs" };
        var named = options.WithRunName(new DateTimeOffset(2025, 1, 31, 14, 25, 1, TimeSpan.Zero));
        Assert.AreEqual("target-only-synthetic-20250131-142501", named.RunName);
        Assert.AreEqual(Path.Combine("/runs", "target-only-synthetic-20250131-142501"), named.RunDirectory);
        Assert.AreSame(named, named.WithRunName(DateTimeOffset.UnixEpoch), "a given name is kept");
        Assert.ThrowsExactly<InvalidOperationException>(() => _ = options.RunDirectory);
    }

    [TestMethod]
    public void CudaDevicesAreParsed()
    {
        Assert.AreEqual(new Device(true, 0), Device.Parse("cuda"));
        Assert.AreEqual(new Device(true, 3), Device.Parse("CUDA:3"));
        foreach (var text in new[] { "cuda:x", "cuda:", "cuda:+1", "cuda:-1", "gpu" })
        {
            Assert.IsFalse(Device.TryParse(text, out _), text);
        }
    }

    [TestMethod]
    public void DetectorSettingsNameTheDetector()
    {
        Assert.IsNull(new DataOptions { Detector = "none" }.DetectorSpec);
        Assert.AreEqual(FaceDetectorKind.BlazeFace, new DataOptions().DetectorSpec!.Kind);
        Assert.AreEqual(FaceDetectorKind.Haar, new DataOptions { Detector = "haar" }.DetectorSpec!.Kind);
        Assert.AreEqual(FaceDetectorKind.YuNet, new DataOptions { Detector = "/m/yunet.onnx" }.DetectorSpec!.Kind);
        Assert.AreEqual("/m/c.xml", new DataOptions { Detector = "/m/c.xml" }.DetectorSpec!.ModelPath);
    }
}
