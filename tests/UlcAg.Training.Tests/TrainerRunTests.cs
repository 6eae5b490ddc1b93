using UlcAg.Data.Synthetic;
using UlcAg.Network.Weights;
using UlcAg.Training.Config;
using UlcAg.Training.Trainer;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class TrainerRunTests
{
    internal static TrainOptions Small(string output, string name, int epochs) => TrainerEndToEndTests.Tiny(output) with
    {
        RunName = name,
        Data = TrainerEndToEndTests.Tiny(output).Data with { InputSize = 32, Synthetic = new SyntheticFaceOptions { Train = 64, Test = 16, Difficulty = 0.3 } },
        Model = new ModelOptions { Pretrained = "none" },
        Train = TrainerEndToEndTests.Tiny(output).Train with { Epochs = epochs, BatchSize = 16 },
        UlcAg = new UlcAgOptions { RampBeta = 1, RelabelStartEpoch = 0 },
    };

    private static string TempDir() => Path.Combine(Path.GetTempPath(), $"ulcag-run-{Guid.NewGuid():N}");

    [TestMethod]
    public void ResumingAfterOneEpochEqualsTwoEpochsStraight()
    {
        var dir = TempDir();
        try
        {
            var log = new StringWriter();
            Assert.AreEqual(0, new UlcAgTrainer().Run(Small(dir, "straight", 2), log, CancellationToken.None), log.ToString());
            Assert.AreEqual(0, new UlcAgTrainer().Run(Small(dir, "resumed", 1), log, CancellationToken.None), log.ToString());
            var resume = Small(dir, "resumed", 2) with { ResumeFrom = Path.Combine(dir, "resumed") };
            Assert.AreEqual(0, new UlcAgTrainer().Run(resume, log, CancellationToken.None), log.ToString());

            var (a, sa) = Checkpoint.Load(Path.Combine(dir, "straight", "checkpoints", "last"));
            var (b, sb) = Checkpoint.Load(Path.Combine(dir, "resumed", "checkpoints", "last"));
            Assert.AreEqual(sa.Epoch, sb.Epoch);
            Assert.AreEqual(sa.Step, sb.Step);
            CollectionAssert.AreEqual(sa.Labels, sb.Labels, "label store");
            CollectionAssert.AreEquivalent(a.Keys.ToList(), b.Keys.ToList());
            foreach (var (name, data) in a) CollectionAssert.AreEqual(data, b[name], $"state '{name}' differs");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void NonFiniteLossStopsTheRunAndKeepsTheLastGoodCheckpoint()
    {
        var dir = TempDir();
        try
        {
            var log = new StringWriter();
            Assert.AreEqual(0, new UlcAgTrainer().Run(Small(dir, "run", 1), log, CancellationToken.None), log.ToString());
            var last = Path.Combine(dir, "run", "checkpoints", "last");
            var before = File.ReadAllBytes(Path.Combine(last, Checkpoint.TensorsFile));

            var exploding = Small(dir, "run", 3) with { ResumeFrom = Path.Combine(dir, "run") };
            exploding = exploding with { Train = exploding.Train with { Lr = 1e30, AuxLr = 1e30 } };
            var code = new UlcAgTrainer().Run(exploding, log, CancellationToken.None);
            Assert.AreEqual(TrainExitCodes.Diverged, code, log.ToString());
            StringAssert.Contains(log.ToString(), "error: training diverged: ");
            StringAssert.Contains(log.ToString(), $"The last good checkpoint is {last}");
            CollectionAssert.AreEqual(before, File.ReadAllBytes(Path.Combine(last, Checkpoint.TensorsFile)), "the last good checkpoint must stay as it was");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void ADivergingRunStopsWithoutAFinishedModel()
    {
        // lr = 10 explodes the network without a NaN loss at once: the run must stop as diverged, on stderr,
        // and leave nothing that marks it finished (test.json) or claims a model (model.onnx).
        var dir = TempDir();
        try
        {
            var (log, errors) = (new StringWriter(), new StringWriter());
            var options = Small(dir, "run", 2);
            options = options with { Train = options.Train with { Lr = 10, AuxLr = 10 } };
            var code = new UlcAgTrainer().Run(options, log, errors, CancellationToken.None);
            Console.WriteLine(errors.ToString());
            Assert.AreEqual(TrainExitCodes.Diverged, code, $"{log}\n{errors}");
            StringAssert.StartsWith(errors.ToString(), "error: training diverged: ");
            StringAssert.Contains(errors.ToString(), "lower");
            Assert.DoesNotContain("error:", log.ToString(), "errors go to the error writer only");
            var run = Path.Combine(dir, "run");
            foreach (var file in new[] { RunFolder.TestResultsFile, "model.onnx", "model.float32.onnx" })
                Assert.IsFalse(File.Exists(Path.Combine(run, file)), $"{file} written by a diverged run");
            if (!Directory.Exists(Path.Combine(run, "checkpoints", "last")))
                StringAssert.Contains(errors.ToString(), "No checkpoint was saved yet", "the message may name only a checkpoint that exists");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void CancellationWritesACheckpointToResumeFrom()
    {
        var dir = TempDir();
        try
        {
            // Ctrl-C as the first epoch begins: the batch in flight completes, then the run saves and stops.
            using var cts = new CancellationTokenSource();
            var log = new CancelOnLine(cts, "epoch 1/");
            var code = new UlcAgTrainer().Run(Small(dir, "run", 2), log, cts.Token);
            Assert.AreEqual(TrainExitCodes.Interrupted, code, log.ToString());
            var (_, state) = Checkpoint.Load(Path.Combine(dir, "run", "checkpoints", "last"));
            Assert.AreEqual(0, state.Epoch);
            Assert.AreEqual(1, state.Batch, "stops after the batch in flight");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void AnUnwritableOutputIsAClearError()
    {
        var file = Path.GetTempFileName();
        try
        {
            var log = new StringWriter();
            var code = new UlcAgTrainer().Run(Small(file, "run", 1), log, CancellationToken.None);
            Assert.AreEqual(TrainExitCodes.Failed, code);
            StringAssert.StartsWith(log.ToString(), "error: ");
            StringAssert.Contains(log.ToString(), file);
            Assert.IsFalse(log.ToString().Contains("   at ", StringComparison.Ordinal), "no stack trace");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A log that requests cancellation when a line containing a marker is written.</summary>
    internal sealed class CancelOnLine(CancellationTokenSource cts, string marker) : StringWriter
    {
        public override void Write(string? value)
        {
            base.Write(value);
            if (value?.Contains(marker, StringComparison.Ordinal) == true) cts.Cancel();
        }
    }
}
