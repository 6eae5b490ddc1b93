using System.Text.Json.Nodes;
using UlcAg.Training.Config;
using UlcAg.Training.Metrics;
using UlcAg.Training.Trainer;

namespace UlcAg.Training.Tests;

/// <summary>
/// Runs crashed at each point between checkpoint writes (<see cref="CheckpointFaults"/>), interrupted,
/// resumed, restarted and started twice: whatever happened, the finished run must be the one an
/// uninterrupted run gives (same test.json, model, best checkpoint and logs but for timing).
/// </summary>
[TestClass]
public sealed class TrainerCheckpointTests
{
    private const int Epochs = 2;
    private static string _root = null!;
    private static readonly Dictionary<CorrectionPolicy, RunFolder> References = [];

    [ClassInitialize]
    public static void CreateRoot(TestContext _) => _root = Path.Combine(Path.GetTempPath(), $"ulcag-ckpt-{Guid.NewGuid():N}");

    [ClassCleanup]
    public static void DeleteRoot()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void ACrashBetweenTheLastAndBestWritesIsRepairedOnResume(int improvement)
    {
        var folder = Folder($"crash-best-{improvement}");
        var (code, log) = Train(New(folder), Crash(CheckpointFault.BetweenLastAndBest, "best", improvement));
        Assert.AreEqual(TrainExitCodes.Failed, code, log);
        var last = Checkpoint.LoadState(folder.LastCheckpoint);
        var held = Directory.Exists(folder.BestCheckpoint) ? Checkpoint.LoadState(folder.BestCheckpoint).BestEpoch : (int?)null;
        Assert.AreNotEqual(last.BestEpoch, held, "the crash leaves best/ behind what last/trainer.json says");
        Assert.IsFalse(folder.IsFinished, "a failed write of best/ is no success");

        (code, log) = Train(Resume(folder));
        Assert.AreEqual(TrainExitCodes.Success, code, log);
        StringAssert.Contains(log, "rebuilt it from");
        AssertSameRun(Reference(CorrectionPolicy.Robust), folder);
    }

    [TestMethod]
    [DataRow("last", 2)]
    [DataRow("best", 1)]
    public void ACrashBetweenTheRenamesOfACheckpointIsRepairedOnResume(string checkpoint, int hit)
    {
        var folder = Folder($"crash-rename-{checkpoint}");
        var (code, log) = Train(New(folder), Crash(CheckpointFault.BetweenRenames, checkpoint, hit));
        Assert.AreEqual(TrainExitCodes.Failed, code, log);
        var dir = Path.Combine(folder.Checkpoints, checkpoint);
        Assert.IsFalse(Directory.Exists(dir), $"{checkpoint}/ is gone until it is recovered");
        Assert.IsTrue(File.Exists(Path.Combine(dir + ".tmp", Checkpoint.CompleteFile)), "the new checkpoint is complete in .tmp");

        (code, log) = Train(Resume(folder));
        Assert.AreEqual(TrainExitCodes.Success, code, log);
        StringAssert.Contains(log, "restored it from");
        AssertSameRun(Reference(CorrectionPolicy.Robust), folder);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ARunKilledBeforeItsFirstCheckpointStartsOverInPlace(bool withResume)
    {
        var folder = Folder($"restart-{withResume}");
        var (code, log) = Train(New(folder), Crash(CheckpointFault.BeforeWrite, "last", 1));
        Assert.AreEqual(TrainExitCodes.Failed, code, log);
        Assert.IsFalse(folder.CanResume);
        Assert.HasCount(1, MetricsLog.Read(folder.Metrics).Entries, "epoch 1's line was written before the crash");

        (code, log) = Train(withResume ? Resume(folder) : New(folder));
        Assert.AreEqual(TrainExitCodes.Success, code, log);
        StringAssert.Contains(log, "starting it over");
        AssertSameRun(Reference(CorrectionPolicy.Robust), folder);
    }

    [TestMethod]
    public void ANewRunIsRefusedInAFolderThatHoldsARun()
    {
        var folder = Folder("taken");
        var (code, log) = Train(New(folder, epochs: 1));
        Assert.AreEqual(TrainExitCodes.Success, code, log);
        string[] files = [folder.Config, folder.Metrics, folder.Model, folder.TestResults, Path.Combine(folder.LastCheckpoint, Checkpoint.StateFile)];
        var before = files.Select(File.ReadAllBytes).ToList();

        (code, log) = Train(New(folder));
        Assert.AreEqual(TrainExitCodes.RunFolderBusy, code, log);
        StringAssert.StartsWith(log, "error: ");
        StringAssert.Contains(log, "already holds a finished run");
        StringAssert.Contains(log, "--resume " + folder.Root);
        StringAssert.Contains(log, "run_name");
        Assert.IsFalse(log.Contains("   at ", StringComparison.Ordinal), "no stack trace");
        for (var i = 0; i < files.Length; i++)
            CollectionAssert.AreEqual(before[i], File.ReadAllBytes(files[i]), $"{files[i]} must stay as it was");
    }

    [TestMethod]
    public void AFinishedRunResumedToTrainLongerIsUnfinishedUntilItEnds()
    {
        var folder = Folder("longer");
        var (code, log) = Train(New(folder, epochs: 1));
        Assert.AreEqual(TrainExitCodes.Success, code, log);
        (code, log) = Train(Resume(folder), Crash(CheckpointFault.BeforeWrite, "last", 1));
        Assert.AreEqual(TrainExitCodes.Failed, code, log);
        Assert.IsFalse(folder.IsFinished, "test.json of epoch 1 must not describe a run that trained on");
    }

    [TestMethod]
    public void ARunIsRefusedWhileAnotherHoldsTheLock()
    {
        var folder = Folder("locked");
        Directory.CreateDirectory(folder.Root);
        using (new FileStream(folder.Lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var (code, log) = Train(New(folder, epochs: 1));
            Assert.AreEqual(TrainExitCodes.RunFolderBusy, code, log);
            StringAssert.Contains(log, "is in use by another training run");
            Assert.IsFalse(File.Exists(folder.Config), "nothing is written into a locked folder");
        }
    }

    [TestMethod]
    public void AKilledRunReleasesTheLock()
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("flock(1) is a Unix tool");
        var folder = Folder("killed");
        Directory.CreateDirectory(folder.Root);
        // Another process holds the lock the way a live run does (flock(2), as FileShare.None takes it on Unix);
        // its command (cat, -o: without the lock) ends when its input is closed.
        var start = new System.Diagnostics.ProcessStartInfo("flock", ["-x", "-o", folder.Lock, "cat"]) { UseShellExecute = false, RedirectStandardInput = true };
        using var holder = System.Diagnostics.Process.Start(start)!;
        try
        {
            Assert.IsTrue(SpinWait.SpinUntil(() => IsLocked(folder.Lock), TimeSpan.FromSeconds(10)), "flock did not take the lock");
            var (code, log) = Train(New(folder, epochs: 1));
            Assert.AreEqual(TrainExitCodes.RunFolderBusy, code, log);
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
            holder.StandardInput.Close();
        }
        // The kernel drops the lock when the holder's last descriptor closes, which can trail its exit by a moment.
        Assert.IsTrue(SpinWait.SpinUntil(() => !IsLocked(folder.Lock), TimeSpan.FromSeconds(10)), "the killed holder's lock was not released");
        var (after, afterLog) = Train(New(folder, epochs: 1));
        Assert.AreEqual(TrainExitCodes.Success, after, afterLog);
    }

    [TestMethod]
    public void AnInterruptAResumeAndACrashInOneEpochLeaveNoRepeatedLines()
    {
        // The paper policy relabels between steps, so the interrupted epoch writes rows before and after the interrupt.
        var folder = Folder("interrupt-crash");
        var (code, log) = Interrupt(New(folder, CorrectionPolicy.Paper), epoch: 2);
        Assert.AreEqual(TrainExitCodes.Interrupted, code, log);

        (code, log) = Train(Resume(folder, CorrectionPolicy.Paper), Crash(CheckpointFault.BeforeWrite, "last", 1));
        Assert.AreEqual(TrainExitCodes.Failed, code, log);
        Assert.HasCount(2, MetricsLog.Read(folder.Metrics).Entries, "epoch 2's line was written before the crash");

        (code, log) = Train(Resume(folder, CorrectionPolicy.Paper));
        Assert.AreEqual(TrainExitCodes.Success, code, log);
        var rows = RelabelLog.Read(folder.Relabels).Entries;
        Assert.IsTrue(rows.Any(r => r.Epoch == 2), "the test needs relabels in the interrupted epoch");
        CollectionAssert.AreEqual(new[] { 1, 2 }, MetricsLog.Read(folder.Metrics).Entries.Select(e => e.Epoch).ToArray());
        AssertSameRun(Reference(CorrectionPolicy.Paper), folder);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void ARunInterruptedInMidEpochWritesWhatAnUninterruptedRunWrites(int epoch)
    {
        var folder = Folder($"interrupt-{epoch}");
        var (code, log) = Interrupt(New(folder), epoch);
        Assert.AreEqual(TrainExitCodes.Interrupted, code, log);
        Assert.AreEqual(1, Checkpoint.LoadState(folder.LastCheckpoint).Batch, "stopped in mid-epoch");

        (code, log) = Train(Resume(folder));
        Assert.AreEqual(TrainExitCodes.Success, code, log);
        Assert.IsTrue(MetricsLog.Read(folder.Metrics).Entries.All(e => e.AlphaAuc is not null), "every epoch has alpha_auc");
        AssertSameRun(Reference(CorrectionPolicy.Robust), folder);
    }

    /// <summary>The uninterrupted run of the same configuration, trained once per policy.</summary>
    private static RunFolder Reference(CorrectionPolicy policy)
    {
        lock (References)
        {
            if (!References.TryGetValue(policy, out var folder))
            {
                folder = Folder($"reference-{policy}");
                var (code, log) = Train(New(folder, policy));
                Assert.AreEqual(TrainExitCodes.Success, code, log);
                References[policy] = folder;
            }
            return folder;
        }
    }

    private static void AssertSameRun(RunFolder expected, RunFolder actual)
    {
        Assert.AreEqual(File.ReadAllText(expected.TestResults), File.ReadAllText(actual.TestResults), "test.json");
        CollectionAssert.AreEqual(File.ReadAllBytes(expected.Model), File.ReadAllBytes(actual.Model), "model.onnx");
        Assert.AreEqual(TestResults.Read(actual.TestResults).BestEpoch, Checkpoint.LoadState(actual.BestCheckpoint).BestEpoch, "best/ holds the epoch test.json names");
        CollectionAssert.AreEqual(MetricsWithoutTiming(expected), MetricsWithoutTiming(actual), "metrics.jsonl");
        CollectionAssert.AreEqual(File.ReadAllLines(expected.Relabels), File.ReadAllLines(actual.Relabels), "relabels.csv");
        var leftovers = Directory.GetDirectories(actual.Checkpoints).Select(Path.GetFileName).Order().ToArray();
        CollectionAssert.AreEqual(new[] { "best", "last" }, leftovers, "no .tmp or .old checkpoint is left");
    }

    private static List<string> MetricsWithoutTiming(RunFolder folder) => File.ReadAllLines(folder.Metrics).Select(line =>
    {
        var entry = JsonNode.Parse(line)!.AsObject();
        entry.Remove("seconds");
        entry.Remove("images_per_second");
        entry.Remove("peak_rss_mib");
        return entry.ToJsonString();
    }).ToList();

    /// <summary>Throws, as a crash would end the run, the <paramref name="hit"/>-th time the run reaches <paramref name="point"/> for the checkpoint <paramref name="checkpoint"/>.</summary>
    private static Action<CheckpointFault, string> Crash(CheckpointFault point, string checkpoint, int hit)
    {
        var hits = 0;
        return (at, directory) =>
        {
            if (at == point && Path.GetFileName(directory) == checkpoint && ++hits == hit)
                throw new IOException($"injected crash at {point} of {checkpoint} ({hit})");
        };
    }

    private static (int Code, string Log) Train(TrainOptions options, Action<CheckpointFault, string>? fault = null, StringWriter? log = null, CancellationToken ct = default)
    {
        log ??= new StringWriter();
        CheckpointFaults.OnPoint = fault;
        try
        {
            return (new UlcAgTrainer().Run(options, log, ct), log.ToString());
        }
        finally
        {
            CheckpointFaults.OnPoint = null;
        }
    }

    /// <summary>Ctrl-C as epoch <paramref name="epoch"/> begins: the run stops after its first batch.</summary>
    private static (int Code, string Log) Interrupt(TrainOptions options, int epoch)
    {
        using var cts = new CancellationTokenSource();
        return Train(options, log: new TrainerRunTests.CancelOnLine(cts, $"epoch {epoch}/"), ct: cts.Token);
    }

    private static RunFolder Folder(string name) => new(Path.Combine(_root, name));

    private static TrainOptions New(RunFolder folder, CorrectionPolicy policy = CorrectionPolicy.Robust, int epochs = Epochs)
    {
        var o = TrainerRunTests.Small(_root, Path.GetFileName(folder.Root), epochs);
        return o with { UlcAg = o.UlcAg with { Correction = policy } };
    }

    private static TrainOptions Resume(RunFolder folder, CorrectionPolicy policy = CorrectionPolicy.Robust) => New(folder, policy) with { ResumeFrom = folder.Root };

    private static bool IsLocked(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
