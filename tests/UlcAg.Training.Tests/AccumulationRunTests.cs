using UlcAg.Training.Config;
using UlcAg.Training.Trainer;

namespace UlcAg.Training.Tests;

/// <summary>
/// Training with gradient accumulation (batch 16 as 2 micro-batches of 8) on the embedded synthetic
/// data: it runs, its checkpoints hold what a run without accumulation holds (never a partial
/// gradient: a checkpoint is taken between steps, and a step is all its micro-batches), and a run
/// interrupted in mid-epoch and resumed ends as an uninterrupted one.
/// </summary>
[TestClass]
public sealed class AccumulationRunTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"ulcag-accum-{Guid.NewGuid():N}");

    [ClassCleanup]
    public static void DeleteRoot()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }

    [TestMethod]
    public void AnAccumulatingRunInterruptedInMidEpochEndsAsAnUninterruptedOne()
    {
        var (code, log) = Train(Options("straight", epochs: 2));
        Assert.AreEqual(TrainExitCodes.Success, code, log);
        StringAssert.Contains(log, "batch 16 as 2 micro-batches of 8");
        var straight = new RunFolder(Path.Combine(Root, "straight"));
        Assert.IsTrue(File.Exists(straight.ApplyStep), "the optimizer graph is an artifact of its own");

        var interrupted = new RunFolder(Path.Combine(Root, "interrupted"));
        using (var cts = new CancellationTokenSource())
        {
            (code, log) = Train(Options("interrupted", epochs: 2), new TrainerRunTests.CancelOnLine(cts, "epoch 2/"), cts.Token);
        }
        Assert.AreEqual(TrainExitCodes.Interrupted, code, log);
        Assert.AreEqual(1, Checkpoint.LoadState(interrupted.LastCheckpoint).Batch, "stopped after the first step of epoch 2");
        (code, log) = Train(Options("interrupted", epochs: 2) with { ResumeFrom = interrupted.Root });
        Assert.AreEqual(TrainExitCodes.Success, code, log);

        var (a, sa) = Checkpoint.Load(straight.LastCheckpoint);
        var (b, sb) = Checkpoint.Load(interrupted.LastCheckpoint);
        Assert.AreEqual(sa.Step, sb.Step);
        Assert.AreEqual(8, sb.Step, "4 steps of 16 images per epoch: one step per batch, not per micro-batch");
        CollectionAssert.AreEqual(sa.Labels, sb.Labels, "label store");
        Assert.IsFalse(a.Keys.Any(k => k.EndsWith(".grad", StringComparison.Ordinal)), "no gradient accumulator in a checkpoint");
        foreach (var (name, data) in a) CollectionAssert.AreEqual(data, b[name], $"state '{name}' differs");
        Assert.AreEqual(File.ReadAllText(straight.TestResults), File.ReadAllText(interrupted.TestResults), "test.json");
        CollectionAssert.AreEqual(File.ReadAllLines(straight.Relabels), File.ReadAllLines(interrupted.Relabels), "relabels.csv");
    }

    [TestMethod]
    public void AResumedRunMayChangeItsMicroBatch()
    {
        var (code, log) = Train(Options("changed", epochs: 1));
        Assert.AreEqual(TrainExitCodes.Success, code, log);
        var without = Options("changed", epochs: 2);
        without = without with { Train = without.Train with { MicroBatchSize = null }, ResumeFrom = Path.Combine(Root, "changed") };
        (code, log) = Train(without);
        Assert.AreEqual(TrainExitCodes.Success, code, log);
        Assert.IsFalse(File.Exists(new RunFolder(without.ResumeFrom).ApplyStep), "a step without accumulation has no apply graph");
        Assert.AreEqual(8, Checkpoint.LoadState(Path.Combine(without.ResumeFrom, "checkpoints", "last")).Step);
    }

    /// <summary>The small ULC-AG run of the trainer's tests with the paper policy, which relabels from each step's outputs.</summary>
    private static TrainOptions Options(string name, int epochs)
    {
        var o = TrainerRunTests.Small(Root, name, epochs);
        return o with { Train = o.Train with { MicroBatchSize = 8 }, UlcAg = o.UlcAg with { Correction = CorrectionPolicy.Paper } };
    }

    private static (int Code, string Log) Train(TrainOptions options, StringWriter? log = null, CancellationToken ct = default)
    {
        log ??= new StringWriter();
        return (new UlcAgTrainer().Run(options, log, ct), log.ToString());
    }
}
