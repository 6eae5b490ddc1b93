using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.Json;
using UlcAg.IO;
using UlcAg.Training.Config;

namespace UlcAg.Training.Experiments;

/// <summary>What the user asked for: which tables, on which configuration, with which seeds, written where.</summary>
public sealed record ExperimentRequest
{
    /// <summary>Configuration files or preset names, as <c>--config</c> takes them (none: the demo preset).</summary>
    public IReadOnlyList<string> Configs { get; init; } = [];

    /// <summary>Overrides as <c>--set</c> takes them (<c>key=value</c>), applied to every run.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    /// <summary>The tables to produce (1-4).</summary>
    public IReadOnlyList<int> Tables { get; init; } = [1, 2, 3];

    /// <summary>One run per cell and seed.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [0, 1, 2];

    /// <summary>Table III's injected noise rates.</summary>
    public IReadOnlyList<double> NoiseLevels { get; init; } = PaperTables.DefaultNoiseLevels;

    /// <summary>The experiment folder: <c>runs/</c>, <c>results.md</c>, plots.</summary>
    public string Output { get; init; } = "artifacts/experiments/paper-tables";

    /// <summary>Only the rows of these methods (<see cref="ExperimentCell.MethodKey"/>, e.g. <c>ulcag-paper</c>); empty for every row.</summary>
    public IReadOnlyList<string> Rows { get; init; } = [];

    /// <summary>Runs trained at the same time (each with <c>threads</c> = cores / parallel unless set).</summary>
    public int Parallel { get; init; } = 1;
}

/// <summary>One training run of an experiment: a cell with a seed.</summary>
public sealed record PlannedRun(ExperimentCell Cell, int Seed)
{
    /// <summary>The run directory's name, e.g. <c>scn-noise30-seed2</c>.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Cell.Key}-seed{Seed}");
}

/// <summary>
/// The runs that a request needs: every distinct cell of the chosen tables (a cell shared by two tables,
/// such as ULC-AG at the base noise rate in Tables I and II, is trained once) for every seed, seed by
/// seed so that partial results cover every cell early.
/// </summary>
public sealed class ExperimentPlan
{
    /// <summary>The file in the experiment folder that records the configuration the runs were started with.</summary>
    public const string ManifestFile = "experiment.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Plans <paramref name="request"/> for a configuration whose own noise rate is <paramref name="baseNoise"/>.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="baseNoise">The configuration's <c>data.noise.rate</c>.</param>
    /// <param name="resolvedConfig">The resolved configuration as YAML, recorded in the manifest so that a
    /// changed configuration file is noticed; null records only the arguments.</param>
    public ExperimentPlan(ExperimentRequest request, double baseNoise, string? resolvedConfig = null)
    {
        Request = request;
        BaseNoise = baseNoise;
        ResolvedConfig = resolvedConfig;
        Tables = [.. request.Tables.Distinct().Order().Select(n => PaperTables.Build(n, baseNoise, request.NoiseLevels))];
        var known = Tables.SelectMany(t => t.Rows).Select(r => r.Cell.MethodKey).Distinct().ToList();
        if (request.Rows.FirstOrDefault(r => !known.Contains(r)) is { } unknown)
            throw new ExperimentException($"no row '{unknown}' in tables {string.Join(" ", request.Tables)}; their rows are: {string.Join(", ", known)}");
        var cells = Tables.SelectMany(t => t.Rows).Select(r => r.Cell).Distinct()
            .Where(c => request.Rows.Count == 0 || request.Rows.Contains(c.MethodKey)).ToList();
        Runs = [.. request.Seeds.Distinct().SelectMany(seed => cells.Select(cell => new PlannedRun(cell, seed)))];
    }

    public ExperimentRequest Request { get; }

    /// <summary>The configuration's own <c>data.noise.rate</c> (Tables I, II and IV train at it).</summary>
    public double BaseNoise { get; }

    /// <summary>The resolved configuration every run starts from (before its cell's method, seed and noise), as YAML.</summary>
    public string? ResolvedConfig { get; }

    public IReadOnlyList<TableSpec> Tables { get; }

    public IReadOnlyList<PlannedRun> Runs { get; }

    /// <summary>Where the run directories go.</summary>
    public string RunsDirectory => Path.Combine(Request.Output, "runs");

    public string RunDirectory(PlannedRun run) => Path.Combine(RunsDirectory, run.Name);

    public string LogFile(PlannedRun run) => Path.Combine(RunsDirectory, run.Name + ".log");

    /// <summary>What starts <paramref name="run"/> from scratch: the experiment's configuration, then the run's cell, seed and folder.</summary>
    public TrainRequest StartRequest(PlannedRun run, int threads)
    {
        var settings = Request.Settings.Select(ConfigSetting.Parse).ToList();
        settings.AddRange(new[]
        {
            $"method={EnumWords.ToWord(run.Cell.Method)}",
            string.Create(CultureInfo.InvariantCulture, $"seed={run.Seed}"),
            string.Create(CultureInfo.InvariantCulture, $"data.noise.rate={run.Cell.NoiseRate:R}"),
            $"output={RunsDirectory}",
            $"run_name={run.Name}",
        }.Concat(run.Cell.Policy is { } policy ? [$"ulcag.correction={EnumWords.ToWord(policy)}"] : []).Select(ConfigSetting.Parse));
        if (!Request.Settings.Any(s => s.StartsWith("threads=", StringComparison.Ordinal)))
            settings.AddRange(ThreadsSettings(threads));
        return new TrainRequest { Configs = Request.Configs, Settings = settings };
    }

    /// <summary><c>--set threads=N</c> for a run that shares the machine, or nothing when it may use every core (0).</summary>
    public static IReadOnlyList<ConfigSetting> ThreadsSettings(int threads) =>
        threads > 0 ? [ConfigSetting.Parse(string.Create(CultureInfo.InvariantCulture, $"threads={threads}"))] : [];

    /// <summary>
    /// Records the configuration in the experiment folder, or checks that an earlier start used the same
    /// one: runs trained under other settings must not be mixed into one table. Tables, seeds and noise
    /// levels may change between invocations (finished runs are reused). Besides the arguments, the resolved
    /// configuration is compared, so that an edited configuration file or preset is noticed too.
    /// </summary>
    /// <exception cref="ExperimentException">The folder holds runs of another configuration.</exception>
    public void RecordOrCheckManifest()
    {
        var path = Path.Combine(Request.Output, ManifestFile);
        var manifest = new Manifest(Request.Configs, Request.Settings, ResolvedConfig);
        if (File.Exists(path))
        {
            Manifest? earlier;
            try
            {
                earlier = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), Json);
            }
            catch (JsonException e)
            {
                throw new ExperimentException($"{path}: not an experiment manifest ({e.Message}); delete it or choose another --out");
            }

            if (earlier is null || !earlier.Configs.SequenceEqual(manifest.Configs) || !earlier.Settings.SequenceEqual(manifest.Settings))
            {
                throw new ExperimentException(
                    $"{Request.Output} holds runs started with {Describe(earlier)}, not {Describe(manifest)}; " +
                    "rerun with the same --config and --set to continue, or choose another --out");
            }

            if (earlier.Resolved is not null && manifest.Resolved is not null && earlier.Resolved != manifest.Resolved)
            {
                throw new ExperimentException(
                    $"{Request.Output} holds runs started with another configuration: the same arguments now resolve to different " +
                    $"settings ({FirstDifference(earlier.Resolved, manifest.Resolved)}); a configuration file or preset was edited. " +
                    "Restore it to continue, or choose another --out");
            }

            return;
        }

        Directory.CreateDirectory(Request.Output);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(manifest, Json));
    }

    private static string Describe(Manifest? m) => m is null ? "an empty manifest" :
        $"[{string.Join(" ", m.Configs.Select(c => "--config " + c).Concat(m.Settings.Select(s => "--set " + s)).DefaultIfEmpty("the default configuration"))}]";

    private static string FirstDifference(string earlier, string now)
    {
        var (a, b) = (earlier.Split('\n'), now.Split('\n'));
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var (x, y) = (i < a.Length ? a[i].Trim() : "", i < b.Length ? b[i].Trim() : "");
            if (x != y)
                return $"'{x}' then, '{y}' now";
        }

        return "no line differs";
    }

    private sealed record Manifest(
        [property: JsonPropertyName("configs")] IReadOnlyList<string> Configs,
        [property: JsonPropertyName("settings")] IReadOnlyList<string> Settings,
        [property: JsonPropertyName("resolved")] string? Resolved);
}

/// <summary>A problem with an experiment the user can fix (its message says how).</summary>
public sealed class ExperimentException(string message) : Exception(message);
