using UlcAg.Data.Synthetic;
using UlcAg.Network.Models;
using UlcAg.Training.Config;
using UlcAg.Training.Metrics;
using UlcAg.Training.Trainer;

namespace UlcAg.Training.Tests;

/// <summary>Every method, baselines and ablations alike, binds its step, trains, relabels where it does and writes its results.</summary>
[TestClass]
public sealed class MethodRunTests
{
    /// <summary>Two epochs of <paramref name="method"/> on <paramref name="trainFaces"/> synthetic faces at 32 px, batch 16, random weights, in <paramref name="dir"/>.</summary>
    private static TrainOptions Small(string dir, Method method, int trainFaces, ModelOptions model)
    {
        var tiny = TrainerEndToEndTests.Tiny(dir, method, epochs: 2);
        return tiny with
        {
            Data = tiny.Data with { InputSize = 32, Synthetic = new SyntheticFaceOptions { Train = trainFaces, Test = 16, Difficulty = 0.3 } },
            Model = model with { Pretrained = "none" },
            Train = tiny.Train with { BatchSize = 16 },
        };
    }

    [TestMethod]
    [DataRow(Method.Baseline)]
    [DataRow(Method.Scn)]
    [DataRow(Method.TargetOnly)]
    [DataRow(Method.AuxOnly)]
    [DataRow(Method.UlcAg)]
    [DataRow(Method.RandomEdges)]
    public void MethodTrainsTwoEpochsAndWritesItsResults(Method method)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ulcag-method-{Guid.NewGuid():N}");
        try
        {
            var o = Small(dir, method, trainFaces: 64, new ModelOptions()) with
            {
                UlcAg = new UlcAgOptions { RampBeta = 1, RelabelStartEpoch = 0, Robust = new RobustCorrectionOptions { ConfirmEpochs = 1, MinTrusted = 1 } },
            };
            var log = new StringWriter();
            Assert.AreEqual(0, new UlcAgTrainer().Run(o, log, CancellationToken.None), log.ToString());
            var run = Path.Combine(dir, "run");
            var test = TestResults.Read(Path.Combine(run, RunFolder.TestResultsFile));
            Assert.IsTrue(test.Accuracy is >= 0 and <= 1);
            var epochs = MetricsLog.Read(Path.Combine(run, RunFolder.MetricsFile)).Entries;
            Assert.HasCount(2, epochs);
            var corrects = method is Method.AuxOnly or Method.UlcAg or Method.RandomEdges;
            Assert.AreEqual(corrects, epochs[^1].EstimatedNoise is not null, "the robust policy's noise estimate is logged where it runs");
            Assert.IsTrue(File.Exists(Path.Combine(run, RunFolder.ModelFile)));
            // Every method whose loss trains alpha says whether alpha flags the test faces it gets wrong; the AU branch names each AU's detection.
            Assert.AreEqual(method is not (Method.Baseline or Method.AuxOnly), test.AlphaErrorAuc is >= 0 and <= 1, $"alpha_error_auc {test.AlphaErrorAuc}");
            Assert.AreEqual(corrects, test.PerAu?.Count == 14 && test.PerAu.All(a => a.Name.StartsWith("AU", StringComparison.Ordinal)), "per_au");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void ForwardCorrectedAuLossTrainsWithRatesEstimatedFromTheTrainingLabels()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ulcag-method-{Guid.NewGuid():N}");
        try
        {
            var o = Small(dir, Method.UlcAg, trainFaces: 200, new ModelOptions { AuLoss = AuLossKind.Forward });
            var log = new StringWriter();
            Assert.AreEqual(0, new UlcAgTrainer().Run(o, log, CancellationToken.None), log.ToString());
            var line = log.ToString().Split('\n').Single(l => l.Contains("AU loss: forward-corrected", StringComparison.Ordinal));
            var rates = System.Text.RegularExpressions.Regex.Matches(line, @"AU\d\d (\d\.\d{3})").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.HasCount(14, rates, line);
            // The synthetic detector reports an absent AU at a rate near 0.085: the estimates follow the labels, not the floor.
            Assert.IsGreaterThan(0.02, rates.Average(), line);
            var epochs = MetricsLog.Read(Path.Combine(dir, "run", RunFolder.MetricsFile)).Entries;
            Assert.IsTrue(epochs.All(e => double.IsFinite(e.Losses[LossTerms.Au]) && e.Losses[LossTerms.Au] > 0), "L_au is trained and finite");
            // The rates the loss used are kept with the results: per AU in test.json, and as a column of report.md's AU table.
            var perAu = TestResults.Read(Path.Combine(dir, "run", RunFolder.TestResultsFile)).PerAu!;
            CollectionAssert.AreEqual(rates, perAu.Select(a => double.Parse(a.FalsePositiveRate!.Value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)).ToArray());
            StringAssert.Contains(File.ReadAllText(Path.Combine(dir, "run", RunFolder.ReportFile)), "| False-positive rate of its labels |");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
