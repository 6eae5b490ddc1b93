using System.Globalization;
using System.Text.Json;
using UlcAg.Network.Models;
using UlcAg.Training.Config;
using UlcAg.Training.Experiments;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class ExperimentTests
{
    [TestMethod]
    public void TablesOneToThreeShareCellsAndRunSeedBySeed()
    {
        var plan = new ExperimentPlan(new ExperimentRequest { Tables = [3, 1, 2], Seeds = [0, 1, 2] }, baseNoise: 0.2);

        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, plan.Tables.Select(t => t.Number).ToArray());
        // I: 4 cells at 20%; II adds random edges (ULC-AG at 20% is shared); III adds SCN and ULC-AG with the paper's relabeling
        // at 20%, and all four of its rows at 10% and 30%.
        var cells = plan.Runs.Select(r => r.Cell).Distinct().ToList();
        Assert.HasCount(15, cells);
        Assert.HasCount(45, plan.Runs);
        CollectionAssert.AreEqual(Enumerable.Repeat(0, 15).Concat(Enumerable.Repeat(1, 15)).Concat(Enumerable.Repeat(2, 15)).ToArray(), plan.Runs.Select(r => r.Seed).ToArray());
        Assert.AreEqual("ulcag-noise20-seed1", new PlannedRun(new ExperimentCell(Method.UlcAg, 0.2), 1).Name);
        Assert.AreEqual("ulcag-paper-noise30-seed2", new PlannedRun(new ExperimentCell(Method.UlcAg, 0.3, CorrectionPolicy.Paper), 2).Name);
        Assert.AreEqual("random-edges-noise0-seed0", new PlannedRun(new ExperimentCell(Method.RandomEdges, 0), 0).Name);
        Assert.IsTrue(plan.Tables.Single(t => t.Number == 3).HasInjectedNoise);
    }

    [TestMethod]
    public void RowsFilterKeepsTheNamedRowsAndRejectsUnknownOnes()
    {
        var plan = new ExperimentPlan(new ExperimentRequest { Tables = [3], Seeds = [0, 1], Rows = ["ulcag-paper"] }, baseNoise: 0.2);
        Assert.HasCount(6, plan.Runs);
        Assert.IsTrue(plan.Runs.All(r => r.Cell is { Method: Method.UlcAg, Policy: CorrectionPolicy.Paper }));
        var e = Assert.ThrowsExactly<ExperimentException>(() => new ExperimentPlan(new ExperimentRequest { Tables = [1], Rows = ["ulcag-paper"] }, 0.2));
        StringAssert.Contains(e.Message, "no row 'ulcag-paper' in tables 1");
    }

    [TestMethod]
    public void PaperPolicyRowsTrainWithThePaperPolicy()
    {
        using var files = new ConfigTestFiles();
        var plan = new ExperimentPlan(new ExperimentRequest { Configs = ["demo"], Tables = [3], Output = files.Root, Rows = ["ulcag", "ulcag-paper"] }, 0.2);
        var launcher = new TrainLauncher(ConfigTestFiles.Presets, new FakeJob(), TextWriter.Null, TextWriter.Null, files.Root);
        CorrectionPolicy PolicyOf(CorrectionPolicy? row) => launcher.Load(plan.StartRequest(plan.Runs.First(r => r.Cell.Policy == row), threads: 1)).Options.UlcAg.Correction;
        Assert.AreEqual(CorrectionPolicy.Paper, PolicyOf(CorrectionPolicy.Paper));
        Assert.AreEqual(CorrectionPolicy.Robust, PolicyOf(null));
    }

    [TestMethod]
    public void TableFourOnRealNoiseHasNoRelabelColumns()
    {
        var table = PaperTables.Build(4, baseNoise: 0);
        Assert.IsFalse(table.HasInjectedNoise);
        CollectionAssert.AreEqual(new[] { Method.Baseline, Method.Scn, Method.UlcAg }, table.Rows.Select(r => r.Cell.Method).ToArray());
        Assert.AreEqual("Real", table.Rows[0].Labels[1]);
    }

    [TestMethod]
    public void RunRequestsResolveToTheCellsOptions()
    {
        using var files = new ConfigTestFiles();
        var plan = new ExperimentPlan(new ExperimentRequest { Configs = ["demo"], Settings = ["train.epochs=2"], Tables = [3], Output = files.Root }, 0.2);
        var run = plan.Runs.First(r => r.Cell.Method == Method.Scn && r.Cell.NoiseRate == 0.3);

        var launcher = new TrainLauncher(ConfigTestFiles.Presets, new FakeJob(), TextWriter.Null, TextWriter.Null, files.Root);
        var options = launcher.Load(plan.StartRequest(run, threads: 1)).Options;

        Assert.AreEqual(Method.Scn, options.Method);
        Assert.AreEqual(0.3, options.Data.Noise.Rate, 1e-12);
        Assert.AreEqual(run.Seed, options.Seed);
        Assert.AreEqual(2, options.Train.Epochs);
        Assert.AreEqual(1, options.Threads);
        Assert.AreEqual(Path.GetFullPath(plan.RunDirectory(run)), Path.GetFullPath(options.RunDirectory));
    }

    [TestMethod]
    public void SeedStatisticIsMeanAndSampleStandardDeviation()
    {
        var s = SeedStatistic.Of([0.80, 0.82, 0.84, null])!.Value;
        Assert.AreEqual(0.82, s.Mean, 1e-12);
        Assert.AreEqual(0.02, s.StandardDeviation, 1e-12);
        Assert.AreEqual(3, s.Count);
        Assert.AreEqual("82.0 ± 2.0", s.Percent());
        Assert.AreEqual("-1.5", new SeedStatistic(-0.015, 0, 1).Percent(signed: true));
        Assert.AreEqual("+2.0 ± 0.5", new SeedStatistic(0.02, 0.005, 2).Percent(signed: true));
        Assert.IsNull(SeedStatistic.Of([null, double.NaN]));
    }

    [TestMethod]
    public void RunnerTrainsEveryRunWritesTablesAndReusesFinishedRuns()
    {
        using var files = new ConfigTestFiles();
        var request = new ExperimentRequest { Tables = [2], Seeds = [0, 1], Output = Path.Combine(files.Root, "exp") };
        var job = new FakeJob();
        var console = new StringWriter();
        var runner = new ExperimentRunner(ConfigTestFiles.Presets, job, console, files.Root);
        var plan = runner.Plan(request);
        Assert.AreEqual(0.2, plan.BaseNoise, 1e-12, "the demo preset injects 20% noise");

        Assert.AreEqual(TrainExitCodes.Success, runner.Run(plan, CancellationToken.None));
        Assert.AreEqual(4, job.Calls.Count);

        // FakeJob's accuracy: 0.6 + 0.1 for ULC-AG + 0.02 * seed. Data-driven row: 0.70 and 0.72.
        var md = File.ReadAllText(Path.Combine(request.Output, ExperimentSummary.FileName));
        // Paired by seed, ULC-AG gains exactly 10 points over random edges in each seed: no spread.
        StringAssert.Contains(md, "| Data-driven | 71.0 ± 1.4 | +10.0 ± 0.0 |");
        StringAssert.Contains(md, "| Random | 61.0 ± 1.4 | - |");
        Assert.IsTrue(File.Exists(Path.Combine(request.Output, "table2.png")));
        var csv = File.ReadAllLines(Path.Combine(request.Output, ExperimentSummary.RunsFile));
        Assert.HasCount(5, csv);
        StringAssert.Contains(console.ToString(), "4/4 finished");

        // The same command again trains nothing.
        Assert.AreEqual(TrainExitCodes.Success, new ExperimentRunner(ConfigTestFiles.Presets, job, TextWriter.Null, files.Root).Run(plan, CancellationToken.None));
        Assert.AreEqual(4, job.Calls.Count);
    }

    [TestMethod]
    public void NoiseTablesShowRelabelColumnsAndGroupedCharts()
    {
        using var files = new ConfigTestFiles();
        var request = new ExperimentRequest { Tables = [3], Seeds = [0], NoiseLevels = [0.1, 0.3], Output = Path.Combine(files.Root, "exp") };
        var plan = new ExperimentPlan(request, 0.2);

        Assert.AreEqual(TrainExitCodes.Success, new ExperimentRunner(ConfigTestFiles.Presets, new FakeJob(), TextWriter.Null, files.Root).Run(plan, CancellationToken.None));

        var md = File.ReadAllText(Path.Combine(request.Output, ExperimentSummary.FileName));
        StringAssert.Contains(md, "| Method | Uncertainty | Test accuracy | Δ vs baseline (paired) | Mean class acc. | Relabel precision | Relabel recall | Noisy left wrong | Alpha AUC | AU AUC | Template acc. | n |");
        StringAssert.Contains(md, "| Baseline | 10% | 60.0 | - | 50.0 | 50.0 | 25.0 | 75.0 |");
        StringAssert.Contains(md, "| ULC-AG | 30% | 70.0 | +10.0 |");
        var png = File.ReadAllBytes(Path.Combine(request.Output, "table3.png"));
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    [TestMethod]
    public void InterruptedRunResumesFromItsCheckpointOnTheNextInvocation()
    {
        using var files = new ConfigTestFiles();
        var request = new ExperimentRequest { Tables = [2], Seeds = [0], Output = Path.Combine(files.Root, "exp") };
        var job = new FakeJob { InterruptAt = 1 };
        var runner = new ExperimentRunner(ConfigTestFiles.Presets, job, TextWriter.Null, files.Root);
        var plan = new ExperimentPlan(request, 0.2);

        Assert.AreEqual(TrainExitCodes.Interrupted, runner.Run(plan, CancellationToken.None));
        Assert.HasCount(2, job.Calls);
        Assert.IsNull(job.Calls[1].ResumeFrom);

        job.InterruptAt = -1;
        Assert.AreEqual(TrainExitCodes.Success, runner.Run(plan, CancellationToken.None));
        Assert.HasCount(3, job.Calls);
        Assert.IsNotNull(job.Calls[2].ResumeFrom, "the interrupted run continues from its checkpoint");
        Assert.AreEqual(Method.UlcAg, job.Calls[2].Method);
    }

    [TestMethod]
    public void FailedRunStopsTheExperimentAndNamesItsLog()
    {
        using var files = new ConfigTestFiles();
        var request = new ExperimentRequest { Tables = [1], Seeds = [0], Output = Path.Combine(files.Root, "exp") };
        var job = new FakeJob { FailMethod = Method.TargetOnly };
        var console = new StringWriter();
        var plan = new ExperimentPlan(request, 0.2);

        var code = new ExperimentRunner(ConfigTestFiles.Presets, job, console, files.Root).Run(plan, CancellationToken.None);

        Assert.AreEqual(TrainExitCodes.Failed, code);
        Assert.HasCount(2, job.Calls, "nothing starts after a failure");
        StringAssert.Contains(console.ToString(), "target-only-noise20-seed0 failed");
        StringAssert.Contains(console.ToString(), "target-only-noise20-seed0.log");
    }

    [TestMethod]
    public void AnotherConfigurationInTheSameFolderIsRefused()
    {
        using var files = new ConfigTestFiles();
        var output = Path.Combine(files.Root, "exp");
        new ExperimentPlan(new ExperimentRequest { Settings = ["train.epochs=3"], Output = output }, 0.2).RecordOrCheckManifest();
        new ExperimentPlan(new ExperimentRequest { Settings = ["train.epochs=3"], Seeds = [5], Output = output }, 0.2).RecordOrCheckManifest();

        var e = Assert.ThrowsExactly<ExperimentException>(() =>
            new ExperimentPlan(new ExperimentRequest { Settings = ["train.epochs=4"], Output = output }, 0.2).RecordOrCheckManifest());
        StringAssert.Contains(e.Message, "--set train.epochs=3");
        StringAssert.Contains(e.Message, "another --out");
    }

    [TestMethod]
    public void AnEditedConfigurationFileIsNoticed()
    {
        using var files = new ConfigTestFiles();
        var config = files.Write("exp.yaml", "train:\n  epochs: 3\n");
        var request = new ExperimentRequest { Configs = [config], Output = Path.Combine(files.Root, "exp") };
        var runner = new ExperimentRunner(ConfigTestFiles.Presets, new FakeJob(), TextWriter.Null, files.Root);
        runner.Plan(request).RecordOrCheckManifest();
        runner.Plan(request).RecordOrCheckManifest();

        files.Write("exp.yaml", "train:\n  epochs: 5\n");
        var e = Assert.ThrowsExactly<ExperimentException>(() => runner.Plan(request).RecordOrCheckManifest());
        StringAssert.Contains(e.Message, "'epochs: 3' then, 'epochs: 5' now");
    }

    [TestMethod]
    public void ParallelRunsNeverShareASeedBeforeItsDataExists()
    {
        using var files = new ConfigTestFiles();
        var request = new ExperimentRequest { Tables = [2], Seeds = [0, 1, 2], Output = Path.Combine(files.Root, "exp"), Parallel = 2 };
        var job = new FakeJob { AwaitPeer = true };
        var plan = new ExperimentPlan(request, 0.2);

        Assert.AreEqual(TrainExitCodes.Success, new ExperimentRunner(ConfigTestFiles.Presets, job, TextWriter.Null, files.Root).Run(plan, CancellationToken.None));

        Assert.HasCount(6, job.Calls);
        Assert.IsFalse(job.SeedOverlap, "two runs of one seed ran at the same time");
        Assert.AreEqual(2, job.MaxConcurrent, "two runs of different seeds ran at once");
        Assert.IsTrue(job.Calls.All(o => o.Threads == Math.Max(1, Environment.ProcessorCount / 2)));
    }

    [TestMethod]
    public void RunsOfOneSeedShareTheMachineOnceItsDataExists()
    {
        using var files = new ConfigTestFiles();
        var request = new ExperimentRequest { Tables = [1], Seeds = [0], Output = Path.Combine(files.Root, "exp"), Parallel = 2 };
        var job = new FakeJob { AwaitPeer = true };

        Assert.AreEqual(TrainExitCodes.Success, new ExperimentRunner(ConfigTestFiles.Presets, job, TextWriter.Null, files.Root).Run(new ExperimentPlan(request, 0.2), CancellationToken.None));

        Assert.HasCount(4, job.Calls);
        Assert.IsFalse(job.SeedOverlap, "a run shared its seed before the seed's first run had finished");
        Assert.AreEqual(2, job.MaxConcurrent, "after the first run, runs of the same seed ran two at a time");
    }

    /// <summary>Writes what the trainer writes at the end of a run, with an accuracy that depends on method and seed.</summary>
    private sealed class FakeJob : ITrainingJob
    {
        private readonly Dictionary<int, int> _activeSeeds = [];
        private readonly HashSet<int> _startedSeeds = [];
        private readonly HashSet<int> _finishedSeeds = [];
        private int _concurrent;

        public List<TrainOptions> Calls { get; } = [];
        public int InterruptAt { get; set; } = -1;
        public Method? FailMethod { get; init; }

        /// <summary>
        /// Every run but the first of its seed waits (up to 10 s) until two runs are active at once, so that
        /// the runner's concurrency is observed however loaded the machine is.
        /// </summary>
        public bool AwaitPeer { get; init; }
        public bool SeedOverlap { get; private set; }
        public int MaxConcurrent { get; private set; }

        public int Run(TrainOptions options, TextWriter log, TextWriter errors, CancellationToken ct)
        {
            int index;
            bool firstOfSeed;
            lock (Calls)
            {
                index = Calls.Count;
                Calls.Add(options);
                MaxConcurrent = Math.Max(MaxConcurrent, ++_concurrent);
                firstOfSeed = _startedSeeds.Add(options.Seed);
                _activeSeeds[options.Seed] = _activeSeeds.GetValueOrDefault(options.Seed) + 1;
                if (_activeSeeds[options.Seed] > 1 && !_finishedSeeds.Contains(options.Seed))
                    SeedOverlap = true;
            }

            var succeeded = false;
            try
            {
                if (AwaitPeer && !firstOfSeed)
                    SpinWait.SpinUntil(() => { lock (Calls) return MaxConcurrent >= 2; }, TimeSpan.FromSeconds(10));
                var dir = new RunFolder(options.RunDirectory);
                Directory.CreateDirectory(dir.LastCheckpoint);
                if (options.ResumeFrom is null)
                    OptionsYaml.WriteFile(options, dir.Config);
                if (index == InterruptAt)
                    return TrainExitCodes.Interrupted;
                if (options.Method == FailMethod)
                    return TrainExitCodes.Failed;
                var accuracy = 0.6 + (options.Method == Method.UlcAg ? 0.1 : 0) + 0.02 * options.Seed;
                new TestResults
                {
                    Accuracy = accuracy,
                    MeanClassAccuracy = accuracy - 0.1,
                    Relabeled = 10,
                    RelabelPrecision = 0.5,
                    RelabelRecall = 0.25,
                    NoisyStillWrong = 0.75,
                    WrongLabelsStart = options.Data.Noise.Rate,
                    WrongLabelsEnd = options.Data.Noise.Rate,
                }.Write(dir.TestResults);
                succeeded = true;
                return TrainExitCodes.Success;
            }
            finally
            {
                lock (Calls)
                {
                    _concurrent--;
                    _activeSeeds[options.Seed]--;
                    if (succeeded)
                        _finishedSeeds.Add(options.Seed);
                }
            }
        }
    }
}
