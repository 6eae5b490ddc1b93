using UlcAg.Data.Loading;
using UlcAg.Data.Noise;
using UlcAg.Data.Synthetic;
using UlcAg.Training.Config;
using UlcAg.Training.Metrics;
using UlcAg.Training.Trainer;
using UlcAg.Network.Models;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class TrainerEndToEndTests
{
    public TestContext TestContext { get; set; } = null!;

    internal static TrainOptions Tiny(string output, Method method = Method.UlcAg, int epochs = 4) => new()
    {
        Method = method,
        Seed = 3,
        Output = output,
        RunName = "run",
        Threads = 2,
        Data = new DataOptions
        {
            InputSize = 64,
            CacheDir = Path.Combine(output, "cache"),
            ValFraction = 0,
            Noise = new NoiseOptions { Rate = 0.3 },
            Synthetic = new SyntheticFaceOptions { Train = 320, Test = 64, Difficulty = 0.3, AuErrorRate = 0.05 },
        },
        Augment = new AugmentOptions { Crop = CropMode.None, Erase = 0 },
        Train = new TrainLoopOptions { Epochs = epochs, BatchSize = 32, Lr = 0.01, AuxLr = 0.01, LrMilestones = [100], Workers = 1, EvalBatchSize = 64 },
        UlcAg = new UlcAgOptions { RampBeta = 2, RelabelStartEpoch = 3 },
        Scn = new ScnOptions { RelabelStartEpoch = 1 },
    };

    [TestMethod]
    public void ShortRunLearnsAndCorrectsPlantedNoise()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ulcag-e2e-{Guid.NewGuid():N}");
        try
        {
            var log = new StringWriter();
            var code = new UlcAgTrainer().Run(Tiny(dir), log, CancellationToken.None);
            TestContext.WriteLine(log.ToString());
            Assert.AreEqual(0, code, log.ToString());
            var run = Path.Combine(dir, "run");
            foreach (var f in new[] { "config.yaml", "train_step.onnx", "eval.onnx", "model.onnx", "model.float32.onnx", "metrics.jsonl", "relabels.csv", "adjacency.csv", "test.json", "report.md" })
                Assert.IsTrue(File.Exists(Path.Combine(run, f)), $"{f} missing");
            // The report says what was done to the labels (30% of 320 flipped), not "none added".
            StringAssert.Contains(File.ReadAllText(Path.Combine(run, "report.md")), "| Label noise | 96 of 320 training labels flipped (30% symmetric) |");
            var epochs = MetricsLog.Read(Path.Combine(run, RunFolder.MetricsFile)).Entries;
            Assert.HasCount(4, epochs);
            Assert.IsLessThan(epochs[0].Losses[LossTerms.Total], epochs[^1].Losses[LossTerms.Total], "the loss should fall");
            TestContext.WriteLine($"AU AUC per epoch: {string.Join(", ", epochs.Select(e => e.ValAuAuc))}; template accuracy: {string.Join(", ", epochs.Select(e => e.ValTemplateAccuracy))}");
            Assert.IsGreaterThan(0.6, epochs[^1].ValAuAuc!.Value, "the AU branch should rank AUs better than chance (0.5)");
            Assert.IsGreaterThan(0.6, epochs[^1].ValAuAucRendered!.Value, "synthetic faces are also scored against the AUs they show");
            Assert.IsGreaterThan(1.0 / 7, epochs[^1].ValTemplateAccuracy!.Value, "the nearest template should beat chance");
            var results = TestResults.Read(Path.Combine(run, RunFolder.TestResultsFile));
            Assert.IsGreaterThan(1.0 / 7 + 0.1, results.Accuracy!.Value, "test accuracy should beat chance");
            Assert.IsGreaterThan(0.5, results.AuAucRendered!.Value, "test.json scores the AU branch against the rendered AUs");
            // The robust policy (the default) corrects: most changes are right, and fewer labels are wrong at the end than at the start.
            Assert.IsGreaterThanOrEqualTo(5, results.Relabeled, "relabeling should change some labels");
            Assert.IsGreaterThanOrEqualTo(0.75, results.RelabelPrecision!.Value, $"relabel precision {results.RelabelPrecision}");
            Assert.IsLessThan(results.WrongLabelsStart!.Value, results.WrongLabelsEnd!.Value, "the share of wrong training labels should fall");
            // The same rules with the rendered AUs in place of s: the templates come from the same trusted samples, and the
            // template accuracy with s is the one the probe measured.
            var oracle = results.AuOracle!;
            TestContext.WriteLine($"oracle: {System.Text.Json.JsonSerializer.Serialize(oracle)}");
            Assert.AreEqual(results.TemplateAccuracy!.Value, oracle.TemplateAccuracy, 1e-9);
            Assert.IsGreaterThan(0.5, oracle.TemplateAccuracyTrueAus, "templates of the true AUs name most test faces");
            Assert.IsGreaterThan(0, oracle.Decision.Changed);
            Assert.IsGreaterThanOrEqualTo(0.75, oracle.DecisionTrueAus.Precision!.Value, "with the true AUs the decision is mostly right");
            // The ramps the trainer fed, epoch by epoch (from 1), against eq. 12-13 with beta = 2.
            foreach (var e in epochs)
            {
                var (lambda1, lambda2) = e.Epoch <= 2 ? (Math.Exp(-Math.Pow(1 - e.Epoch / 2.0, 2)), 1.0) : (1.0, Math.Exp(-Math.Pow(1 - 2.0 / e.Epoch, 2)));
                Assert.AreEqual(lambda1, e.Lambda1!.Value, 1e-12, $"lambda1 of epoch {e.Epoch}");
                Assert.AreEqual(lambda2, e.Lambda2!.Value, 1e-12, $"lambda2 of epoch {e.Epoch}");
            }
            // Each change is recorded with its evidence: the classifier's averaged probabilities of both labels and its argmax.
            var rows = RelabelLog.Read(Path.Combine(run, RunFolder.RelabelsFile)).Entries;
            Assert.HasCount(results.Relabeled, rows);
            foreach (var r in rows)
            {
                Assert.AreNotEqual(r.OldLabel, r.NewLabel);
                Assert.IsTrue(r.PLabel is >= 0 and <= 1 && r.PNew is >= 0 and <= 1, $"relabel of sample {r.SampleId}: p_label {r.PLabel}, p_new {r.PNew}");
                Assert.IsTrue(r.Predicted is >= 0 and < 7, $"relabel of sample {r.SampleId}: predicted {r.Predicted}");
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
