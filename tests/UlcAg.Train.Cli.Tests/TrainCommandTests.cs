using UlcAg.Network.Models;
using UlcAg.Training.Config;
using UlcAg.Training.Tests;

namespace UlcAg.Train.Cli.Tests;

[TestClass]
public sealed class TrainCommandTests
{
    [TestMethod]
    public void ParsesConfigsSettingsAndShortcutsInOrder()
    {
        var (request, printConfig) = Parse(
            "--config", "rafdb", "-c", "models/scn.yaml", "--set", "train.lr=0.1", "-s", "data.noise.rate=0.2",
            "--epochs", "5", "--method=baseline", "--device", "cuda:0", "--seed", "7", "--data-root", "/d/raf",
            "--format", "rafdb", "--output", "out", "--print-config");
        CollectionAssert.AreEqual(new[] { "rafdb", "models/scn.yaml" }, request.Configs.ToArray());
        CollectionAssert.AreEqual(
            new[] { "train.lr", "data.noise.rate", "train.epochs", "method", "device", "seed", "data.root", "data.format", "output" },
            request.Settings.Select(s => s.Key).ToArray());
        Assert.AreEqual(new ConfigSetting("data.root", "/d/raf", true, "--data-root /d/raf"), request.Settings[6]);
        Assert.AreEqual(new ConfigSetting("train.lr", "0.1", false, "--set train.lr=0.1"), request.Settings[0]);
        Assert.AreEqual("--method baseline", request.Settings[3].Origin);
        Assert.IsTrue(printConfig);
        Assert.IsNull(request.Resume);

        Assert.AreEqual("runs/a", Parse("--resume", "runs/a").Request.Resume);
        Assert.AreEqual(0, Parse().Request.Configs.Count);
        Assert.IsFalse(Parse().PrintConfig);
        CollectionAssert.AreEqual(
            new[] { "--epochs 3", "--set train.epochs=4", "--set seed=1", "--epochs 5" },
            Parse("--epochs", "3", "--set", "train.epochs=4", "-s", "seed=1", "--epochs=5").Request.Settings.Select(s => s.Origin).ToArray());
    }

    [TestMethod]
    public void OverridesApplyAfterEveryFileInCommandLineOrder()
    {
        using var files = new ConfigTestFiles();
        var file = files.Write("a.yaml", "train:\n  epochs: 12\n");
        var job = new RecordingJob(0);
        var (code, _, error) = Run(job, "--epochs", "3", "--config", file, "--set", "train.epochs=4", "--epochs=5");
        Assert.AreEqual(TrainExitCodes.Success, code, error);
        Assert.AreEqual(5, job.Options!.Train.Epochs);
    }

    [TestMethod]
    [DataRow(new[] { "--epoch", "3" }, "error: unknown option '--epoch'; did you mean --epochs?")]
    [DataRow(new[] { "--epochs" }, "error: --epochs needs a value (N)")]
    [DataRow(new[] { "demo.yaml" }, "error: unexpected argument 'demo.yaml'; configuration files are given with --config FILE")]
    [DataRow(new[] { "--help=yes" }, "error: --help takes no value")]
    [DataRow(new[] { "--print-config", "yes" }, "error: --print-config takes no value")]
    [DataRow(new[] { "--set", "train.lr" }, "error: --set 'train.lr' has no '='")]
    [DataRow(new[] { "--resume", "r", "--config", "demo" }, "cannot be combined with --config")]
    [DataRow(new[] { "-h", "--bogus" }, "error: unknown option '--bogus'")]
    public void RejectsMalformedCommandLines(string[] args, string expected)
    {
        var job = new RecordingJob(0);
        var (code, output, error) = Run(job, args);
        Assert.AreEqual(TrainExitCodes.Usage, code);
        Assert.AreEqual("", output);
        Assert.IsNull(job.Options);
        StringAssert.Contains(error, expected);
        StringAssert.EndsWith(error.ReplaceLineEndings("\n"), "\nRun 'dotnet ulcag-train --help' for usage.\n");
    }

    [TestMethod]
    public void VersionPrintsTheNameAndVersion()
    {
        var (code, output, error) = Run(new RecordingJob(0), "--version");
        Assert.AreEqual(TrainExitCodes.Success, code);
        StringAssert.Matches(output, new System.Text.RegularExpressions.Regex(@"^ulcag-train \d+\.\d+\.\d+\n$"));
        Assert.AreEqual("", error);
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

    [TestMethod]
    public void TrainingErrorsGoToStandardErrorWithoutInternalDetails()
    {
        using var files = new ConfigTestFiles();
        string[] common = ["--output", files.Folder("runs"), "--set", $"data.cache_dir={files.Folder("cache")}", "--set", "model.pretrained=none"];
        var trainer = new UlcAg.Training.Trainer.UlcAgTrainer(UlcAg.Training.Progress.ProgressMode.Plain);

        // An empty dataset folder is a data error naming the folder, not an argument error of an internal method.
        var (code, output, error) = Run(trainer, [.. common, "--format", "csv", "--data-root", files.Folder("empty"), "--method", "target-only"]);
        Assert.AreEqual(TrainExitCodes.Failed, code, error);
        StringAssert.Contains(error, $"error: {files.Folder("empty")}: the folder holds no csv data");
        Assert.DoesNotContain("Parameter", error);
        Assert.DoesNotContain("error:", output, "errors go to standard error only");

        // The CPU build says it has no GPU support instead of blaming CUDA libraries.
        (code, output, error) = Run(trainer, [.. common, "--device", "cuda", "--set", "data.synthetic={train: 24, test: 14}", "--set", "data.val_fraction=0",
            "--set", "data.input_size=32", "--set", "train.batch_size=8", "--epochs", "1", "--set", "train.lr_milestones=[]"]);
        Assert.AreEqual(TrainExitCodes.Failed, code, error);
        StringAssert.Contains(error, "cannot use device cuda:0");
        if (!UlcAg.Runtime.Device.BuildHasCuda) StringAssert.Contains(error, "no GPU support");
        Assert.DoesNotContain("error:", output);
    }

    [TestMethod]
    public void ResumeWithAnotherSeedIsRefusedNamingTheKey()
    {
        using var files = new ConfigTestFiles();
        var run = Path.Combine(files.Folder("runs"), "r");
        var trainer = new UlcAg.Training.Trainer.UlcAgTrainer(UlcAg.Training.Progress.ProgressMode.Plain);
        var (code, _, error) = Run(trainer, "--output", files.Folder("runs"), "--set", "run_name=r", "--set", $"data.cache_dir={files.Folder("cache")}",
            "--set", "model.pretrained=none", "--method", "baseline", "--set", "data.synthetic={train: 24, test: 14}", "--set", "data.val_fraction=0",
            "--set", "data.input_size=32", "--set", "train.batch_size=8", "--epochs", "1", "--set", "train.lr_milestones=[]", "--set", "data.noise.rate=0");
        Assert.IsTrue(code is TrainExitCodes.Success or TrainExitCodes.Diverged, error);
        Assert.IsTrue(File.Exists(ResumeCheck.ReferenceFile(run)), "the run keeps the configuration its checkpoints were trained with");

        // Another seed would draw other samples for the checkpoint's labels.
        (code, var output, error) = Run(trainer, "--resume", run, "--seed", "7", "--epochs", "2");
        Assert.AreEqual(TrainExitCodes.Usage, code, error);
        StringAssert.Contains(error, "seed: is 7 here, but the run was trained with 0");
        Assert.AreEqual("", output);

        // So would an edit of config.yaml; the safe keys (here train.epochs) may change.
        File.WriteAllText(Path.Combine(run, "config.yaml"), File.ReadAllText(Path.Combine(run, "config.yaml")).Replace("train: 24", "train: 40"));
        (code, _, error) = Run(trainer, "--resume", run, "--epochs", "2");
        Assert.AreEqual(TrainExitCodes.Usage, code, error);
        StringAssert.Contains(error, "data.synthetic.train: is 40 here, but the run was trained with 24");
        Assert.DoesNotContain("train.epochs", error.Split("a resumed run may change only")[0]);
    }

    private static (TrainRequest Request, bool PrintConfig) Parse(params string[] args)
    {
        var line = new TrainCommandLine(ConfigTestFiles.Presets);
        var result = line.Program.Parse(line.Root, args, out var problem);
        Assert.IsNull(problem);
        return (line.Request(result), result.GetValue(line.PrintConfig));
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

        public int Run(TrainOptions options, TextWriter log, TextWriter errors, CancellationToken ct)
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
