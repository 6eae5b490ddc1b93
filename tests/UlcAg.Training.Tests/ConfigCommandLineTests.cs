using UlcAg.Training.Config;
using UlcAg.Network.Models;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class ConfigCommandLineTests
{
    [TestMethod]
    public void ParsesConfigsSettingsAndShortcutsInOrder()
    {
        var args = TrainCommandLine.Parse([
            "--config", "rafdb", "-c", "models/scn.yaml", "--set", "train.lr=0.1", "-s", "data.noise.rate=0.2",
            "--epochs", "5", "--method=baseline", "--device", "cuda:0", "--seed", "7", "--data-root", "/d/raf",
            "--format", "rafdb", "--output", "out", "--print-config"]);
        CollectionAssert.AreEqual(new[] { "rafdb", "models/scn.yaml" }, args.Configs.ToArray());
        CollectionAssert.AreEqual(
            new[] { "train.lr", "data.noise.rate", "train.epochs", "method", "device", "seed", "data.root", "data.format", "output" },
            args.Settings.Select(s => s.Key).ToArray());
        Assert.AreEqual(new ConfigSetting("data.root", "/d/raf", true, "--data-root /d/raf"), args.Settings[6]);
        Assert.AreEqual(new ConfigSetting("train.lr", "0.1", false, "--set train.lr=0.1"), args.Settings[0]);
        Assert.AreEqual("--method baseline", args.Settings[3].Origin);
        Assert.IsTrue(args.PrintConfig);
        Assert.IsFalse(args.Help);
        Assert.IsNull(args.Resume);

        Assert.IsTrue(TrainCommandLine.Parse(["-h"]).Help);
        Assert.IsTrue(TrainCommandLine.Parse(["--version"]).Version);
        Assert.AreEqual("runs/a", TrainCommandLine.Parse(["--resume", "runs/a"]).Resume);
        Assert.AreEqual(0, TrainCommandLine.Parse([]).Configs.Count);
    }

    [TestMethod]
    [DataRow(new[] { "--epoch", "3" }, "unknown option '--epoch'; did you mean --epochs?")]
    [DataRow(new[] { "--epochs" }, "--epochs needs a value (N)")]
    [DataRow(new[] { "demo.yaml" }, "unexpected argument 'demo.yaml'; configuration files are given with --config FILE")]
    [DataRow(new[] { "--help=yes" }, "--help takes no value")]
    [DataRow(new[] { "--set", "train.lr" }, "--set 'train.lr' has no '='")]
    [DataRow(new[] { "--resume", "r", "--config", "demo" }, "cannot be combined with --config")]
    public void RejectsMalformedCommandLines(string[] args, string expected)
    {
        var e = Assert.ThrowsExactly<UsageException>(() => TrainCommandLine.Parse(args));
        StringAssert.Contains(e.Message, expected);
    }

    [TestMethod]
    public void HelpListsOptionsPresetsAndExitCodes()
    {
        var (code, output, _) = Run(new RecordingJob(0), "--help");
        Assert.AreEqual(TrainExitCodes.Success, code);
        foreach (var option in new[] { "--config", "--set", "--method", "--epochs", "--device", "--seed", "--data-root", "--format", "--output", "--resume", "--print-config" })
        {
            StringAssert.Contains(output, option);
        }

        StringAssert.Contains(output, "  demo ");
        StringAssert.Contains(output, "  random-edges ");
        StringAssert.Contains(output, "Same as --set train.epochs=...");
        StringAssert.Contains(output, "2 bad arguments or configuration");
        Assert.IsTrue(output.Split('\n').All(line => line.Length <= 120), "help lines stay readable in a terminal");
    }

    [TestMethod]
    public void AValidConfigurationIsHandedToTheTrainer()
    {
        var job = new RecordingJob(0);
        var (code, _, _) = Run(job, "--epochs", "4", "--set", "train.lr_milestones=[2,3]");
        Assert.AreEqual(TrainExitCodes.Success, code);
        Assert.AreEqual(4, job.Options!.Train.Epochs);
        CollectionAssert.AreEqual(new[] { 2, 3 }, job.Options.Train.LrMilestones.ToArray());
        Assert.AreEqual("ulcag-synthetic-20250131-142501", job.Options.RunName);
    }

    [TestMethod]
    public void PrintConfigExitsWithoutTraining()
    {
        var job = new RecordingJob(0);
        var (code, output, error) = Run(job, "--print-config", "--method", "baseline");
        Assert.AreEqual(TrainExitCodes.Success, code);
        Assert.IsNull(job.Options);
        StringAssert.Contains(output, "method: baseline\n");
        Assert.AreEqual("", error);
    }

    [TestMethod]
    public void ConfigurationErrorsExitWithTwoAndNoStackTrace()
    {
        var (code, output, error) = Run(new RecordingJob(0), "--set", "train.epochs=0", "--set", "data.noise.rate=2");
        Assert.AreEqual(TrainExitCodes.Usage, code);
        Assert.AreEqual("", output);
        StringAssert.StartsWith(error, "error: invalid configuration (2 problems):");
        StringAssert.Contains(error, "--set train.epochs=0: train.epochs: is 0; expected a whole number from 1 to 100000");
        Assert.IsFalse(error.Contains("   at ", StringComparison.Ordinal), error);

        (code, _, error) = Run(new RecordingJob(0), "--config", "nosuch");
        Assert.AreEqual(TrainExitCodes.Usage, code);
        StringAssert.Contains(error, "configuration file 'nosuch' does not exist");

        (code, _, error) = Run(new RecordingJob(0), "--bogus");
        Assert.AreEqual(TrainExitCodes.Usage, code);
        StringAssert.Contains(error, "Run 'dotnet ulcag-train --help' for usage.");
    }

    [TestMethod]
    public void ValidConfigurationGoesToTheTrainer()
    {
        var job = new RecordingJob(0);
        var (code, _, error) = Run(job, "--config", "demo", "--config", "scn", "--seed", "5");
        Assert.AreEqual(0, code);
        Assert.AreEqual(Method.Scn, job.Options!.Method);
        Assert.AreEqual(5, job.Options.Seed);
        Assert.AreEqual("scn-synthetic-20250131-142501", job.Options.RunName);
        Assert.AreEqual("", error);

        Assert.AreEqual(17, Run(new RecordingJob(17)).Code, "the trainer's exit code is passed on");
    }

    [TestMethod]
    public void TrainerFailuresAreMessagesWithExitCodes()
    {
        var (code, _, error) = Run(new RecordingJob(0, new InvalidDataException("image 'a.jpg' is corrupt", new IOException("bad header"))));
        Assert.AreEqual(TrainExitCodes.Failed, code);
        Assert.AreEqual("error: image 'a.jpg' is corrupt\n  because: bad header\n", error.ReplaceLineEndings("\n"));

        using var stopped = new CancellationTokenSource();
        stopped.Cancel();
        var output = new StringWriter();
        var errors = new StringWriter();
        var command = new TrainCommand(ConfigTestFiles.Presets, new RecordingJob(0, cancel: true), output, errors, Path.GetTempPath(), FixedClock());
        Assert.AreEqual(TrainExitCodes.Interrupted, command.Run([], stopped.Token));
        StringAssert.Contains(errors.ToString(), "Stopped.");
    }

    private static (int Code, string Output, string Error) Run(ITrainingJob job, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var command = new TrainCommand(ConfigTestFiles.Presets, job, output, error, Path.GetTempPath(), FixedClock());
        var code = command.Run(args, CancellationToken.None);
        return (code, output.ToString().ReplaceLineEndings("\n"), error.ToString());
    }

    private static FixedTime FixedClock() => new(new DateTimeOffset(2025, 1, 31, 14, 25, 1, TimeSpan.Zero));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    private sealed class RecordingJob(int exitCode, Exception? failure = null, bool cancel = false) : ITrainingJob
    {
        public TrainOptions? Options { get; private set; }

        public int Run(TrainOptions options, TextWriter log, CancellationToken ct)
        {
            Options = options;
            if (cancel)
            {
                ct.ThrowIfCancellationRequested();
            }

            return failure is null ? exitCode : throw failure;
        }
    }
}
