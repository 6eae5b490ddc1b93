using System.Diagnostics;
using System.Globalization;
using UlcAg.Training.Config;

namespace UlcAg.Training.Experiments;

/// <summary>
/// Trains the runs of an <see cref="ExperimentPlan"/> through the same command as <c>ulcag-train</c>
/// and keeps the tables up to date after every run. Finished runs (their <c>test.json</c> exists) are
/// reused, interrupted ones continue from their last checkpoint, so rerunning the same command resumes
/// the experiment. Each run logs to <c>runs/NAME.log</c>; the console gets one line per run start and
/// finish with the overall progress and an estimate of the time left.
/// </summary>
public sealed class ExperimentRunner
{
    private readonly PresetCatalog _presets;
    private readonly ITrainingJob _job;
    private readonly TextWriter _console;
    private readonly string? _baseDirectory;
    private readonly object _gate = new();

    /// <param name="presets">Where preset names given as configurations are found.</param>
    /// <param name="job">The trainer (it must not draw a live progress bar: several runs share the console).</param>
    /// <param name="console">Overall progress.</param>
    /// <param name="baseDirectory">The folder relative paths are taken against (default: the current directory).</param>
    public ExperimentRunner(PresetCatalog presets, ITrainingJob job, TextWriter console, string? baseDirectory = null)
    {
        _presets = presets;
        _job = job;
        _console = console;
        _baseDirectory = baseDirectory;
    }

    /// <summary>
    /// Plans <paramref name="request"/>: resolves its configuration as <c>ulcag-train</c> would (for the
    /// noise rate of Tables I, II and IV, and to record what the runs are trained with).
    /// </summary>
    /// <exception cref="ConfigException">The configuration is invalid, or a setting is malformed.</exception>
    public ExperimentPlan Plan(ExperimentRequest request)
    {
        var launcher = new TrainLauncher(_presets, _job, TextWriter.Null, TextWriter.Null, _baseDirectory);
        var options = launcher.Load(new TrainRequest { Configs = request.Configs, Settings = request.Settings.Select(ConfigSetting.Parse).ToList() }).Options;
        return new ExperimentPlan(request, options.Data.Noise.Rate, OptionsYaml.Write(options));
    }

    /// <summary>Trains what is missing and writes the tables; returns a <see cref="TrainExitCodes"/> value.</summary>
    public int Run(ExperimentPlan plan, CancellationToken ct)
    {
        plan.RecordOrCheckManifest();
        var results = new Dictionary<PlannedRun, RunResult>();
        var pending = new List<PlannedRun>();
        foreach (var run in plan.Runs)
        {
            if (RunResult.IsFinished(plan.RunDirectory(run)))
                results[run] = RunResult.Read(plan.RunDirectory(run));
            else
                pending.Add(run);
        }

        var resumable = pending.Count(r => CanResume(plan.RunDirectory(r)));
        Say($"{plan.Runs.Count} runs for table{(plan.Tables.Count > 1 ? "s" : "")} {string.Join(", ", plan.Tables.Select(t => t.Number))}: " +
            $"{results.Count} finished, {pending.Count} to train{(resumable > 0 ? $" ({resumable} from a checkpoint)" : "")}; logs in {plan.RunsDirectory}");
        ExperimentSummary.Write(plan, results);

        var parallel = Math.Clamp(plan.Request.Parallel, 1, Math.Max(1, pending.Count));
        var threads = parallel > 1 ? Math.Max(1, Environment.ProcessorCount / parallel) : 0;
        var state = new Schedule(pending, plan.Runs.Count - pending.Count, plan.Runs.Count);
        state.ReadySeeds.UnionWith(results.Keys.Select(r => r.Seed));
        var workers = Enumerable.Range(0, parallel).Select(_ => Task.Run(() => Work(plan, state, results, threads, ct), CancellationToken.None)).ToArray();
        Task.WaitAll(workers, CancellationToken.None);
        if (ct.IsCancellationRequested && results.Count < plan.Runs.Count)
            state.Fail(TrainExitCodes.Interrupted);

        ExperimentSummary.Write(plan, results);
        var resultsFile = Path.Combine(plan.Request.Output, ExperimentSummary.FileName);
        if (state.ExitCode == TrainExitCodes.Interrupted)
        {
            Say($"stopped; {results.Count} of {plan.Runs.Count} runs finished (tables so far: {resultsFile}). Run the same command again to continue.");
        }
        else if (state.ExitCode != TrainExitCodes.Success)
        {
            Say($"stopped after a failed run; finished runs are kept (tables so far: {resultsFile}).");
        }
        else
        {
            Say($"all {plan.Runs.Count} runs finished: {resultsFile}");
        }

        return state.ExitCode;
    }

    private void Work(ExperimentPlan plan, Schedule state, Dictionary<PlannedRun, RunResult> results, int threads, CancellationToken ct)
    {
        while (true)
        {
            PlannedRun run;
            int number;
            lock (_gate)
            {
                while (true)
                {
                    if (state.Stopped || ct.IsCancellationRequested || state.Pending.Count == 0)
                        return;

                    // Runs of one seed share their generated dataset and image cache: never build those twice at
                    // once. Once a run of the seed has finished, they exist and any number of runs may read them.
                    var next = state.Pending.FirstOrDefault(r => state.ReadySeeds.Contains(r.Seed) || !state.ActiveRuns.Any(a => a.Seed == r.Seed));
                    if (next is not null)
                    {
                        run = next;
                        state.Pending.Remove(run);
                        state.ActiveRuns.Add(run);
                        number = ++state.Started;
                        break;
                    }

                    Monitor.Wait(_gate);
                }
            }

            var dir = plan.RunDirectory(run);
            var resume = CanResume(dir);
            Say($"[{number}/{state.Total}] {(resume ? "resume" : "start")} {run.Name}");
            var watch = Stopwatch.StartNew();
            var code = TrainOne(plan, run, resume, threads, ct);
            var elapsed = watch.Elapsed;

            lock (_gate)
            {
                state.ActiveRuns.Remove(run);
                if (code == TrainExitCodes.Success)
                {
                    RunResult result;
                    try
                    {
                        result = RunResult.Read(dir);
                    }
                    catch (ExperimentException e)
                    {
                        Say($"[{number}/{state.Total}] {run.Name}: {e.Message}");
                        state.Fail(TrainExitCodes.Failed);
                        Monitor.PulseAll(_gate);
                        return;
                    }

                    results[run] = result;
                    state.ReadySeeds.Add(run.Seed);
                    state.Durations.Add(elapsed);
                    var left = state.Pending.Count + state.ActiveRuns.Count;
                    var parallel = Math.Max(1, plan.Request.Parallel);
                    var eta = left == 0 ? "" : $", about {Duration(TimeSpan.FromTicks(state.Durations.Sum(d => d.Ticks) / state.Durations.Count * left / parallel))} left";
                    Say($"[{number}/{state.Total}] done {run.Name} in {Duration(elapsed)}: {Describe(result)} | {results.Count}/{state.Total} finished{eta}");
                    ExperimentSummary.Write(plan, results);
                }
                else
                {
                    Say(code == TrainExitCodes.Interrupted
                        ? $"[{number}/{state.Total}] {run.Name} interrupted; its checkpoint is kept"
                        : $"[{number}/{state.Total}] {run.Name} failed (exit code {code}); see {plan.LogFile(run)}");
                    state.Fail(code);
                }

                Monitor.PulseAll(_gate);
            }
        }
    }

    private int TrainOne(ExperimentPlan plan, PlannedRun run, bool resume, int threads, CancellationToken ct)
    {
        var dir = plan.RunDirectory(run);
        TrainRequest request;
        if (resume)
        {
            request = new TrainRequest { Resume = dir, Settings = ExperimentPlan.ThreadsSettings(threads) };
        }
        else
        {
            // A folder without a checkpoint (the run stopped before its first one) is started over in place by the
            // trainer; deleting it here could wipe a run another runner is training in it, which the run's lock refuses.
            request = plan.StartRequest(run, threads);
        }

        Directory.CreateDirectory(plan.RunsDirectory);
        using var log = new StreamWriter(plan.LogFile(run), append: true) { AutoFlush = true };
        log.WriteLine($"# {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss} ulcag-train {request}");
        return new TrainLauncher(_presets, _job, log, log, _baseDirectory).Run(request, ct);
    }

    private static bool CanResume(string runDirectory) => new RunFolder(runDirectory).CanResume;

    private static string Describe(RunResult r)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"test {r.Test.Accuracy * 100:0.0}%");
        if (r.Test.RelabelPrecision is not null || r.Test.NoisyStillWrong is not null)
            text += string.Create(CultureInfo.InvariantCulture, $", {r.Test.Relabeled} relabeled (precision {Percent(r.Test.RelabelPrecision)}, recall {Percent(r.Test.RelabelRecall)})");
        return text;
    }

    private static string Percent(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v * 100:0.0}%") : "-";

    internal static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes:00}m")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}m{t.Seconds:00}s");

    private void Say(string line)
    {
        lock (_console)
            _console.WriteLine(line);
    }

    private sealed class Schedule(List<PlannedRun> pending, int finished, int total)
    {
        public List<PlannedRun> Pending { get; } = pending;
        public HashSet<int> ReadySeeds { get; } = [];
        public List<PlannedRun> ActiveRuns { get; } = [];
        public List<TimeSpan> Durations { get; } = [];
        public int Total { get; } = total;
        public int Started { get; set; } = finished;
        public int ExitCode { get; private set; } = TrainExitCodes.Success;
        public bool Stopped => ExitCode != TrainExitCodes.Success;

        public void Fail(int code)
        {
            if (ExitCode == TrainExitCodes.Success)
                ExitCode = code;
        }
    }
}
