using System.Globalization;
using System.Runtime.Serialization;
using UlcAg.Data.Formats;
using UlcAg.Data.Loading;
using UlcAg.Network.Models;

namespace UlcAg.Training.Config;

/// <summary>
/// Everything a training run needs, as bound from YAML (snake_case keys) by <see cref="TrainConfigBuilder"/>:
/// built-in defaults (the initializers below), then preset or YAML files, then command-line overrides.
/// The run directory stores the resolved options (<see cref="OptionsYaml"/>).
/// </summary>
public sealed record TrainOptions
{
    /// <summary>YAML <c>method</c>: what is trained.</summary>
    public Method Method { get; init; } = Method.UlcAg;

    /// <summary>YAML <c>seed</c>: seeds weight initialization, shuffling, augmentation, and (unless they have their own) label noise and synthetic data.</summary>
    public int Seed { get; init; }

    /// <summary>YAML <c>device</c>: <c>cpu</c>, <c>cuda</c> (device 0) or <c>cuda:N</c>, as <see cref="Runtime.Device.Parse"/> reads it.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>YAML <c>output</c>: the folder that holds run directories.</summary>
    public string Output { get; init; } = "artifacts/runs";

    /// <summary>YAML <c>run_name</c>: the run directory's name under <see cref="Output"/>; null generates one (<see cref="WithRunName"/>).</summary>
    public string? RunName { get; init; }

    /// <summary>YAML <c>threads</c>: compute threads of ONNX Runtime; 0 uses all cores.</summary>
    public int Threads { get; init; }

    /// <summary>YAML <c>data</c>: the dataset, its preprocessing, AU labels and label noise.</summary>
    public DataOptions Data { get; init; } = new();

    /// <summary>YAML <c>augment</c>: training-time augmentation.</summary>
    public AugmentOptions Augment { get; init; } = new();

    /// <summary>YAML <c>model</c>: pretrained weights and the auxiliary branch's shape.</summary>
    public ModelOptions Model { get; init; } = new();

    /// <summary>YAML <c>train</c>: epochs, batches, optimizer and learning-rate schedule.</summary>
    public TrainLoopOptions Train { get; init; } = new();

    /// <summary>YAML <c>ulcag</c>: ULC-AG's hyperparameters (also used by its ablations).</summary>
    [DataMember(Name = "ulcag")]
    public UlcAgOptions UlcAg { get; init; } = new();

    /// <summary>YAML <c>scn</c>: the SCN comparison method's hyperparameters.</summary>
    public ScnOptions Scn { get; init; } = new();

    /// <summary>
    /// The run directory to continue (<c>--resume</c>), or null for a new run. Set by the command line,
    /// never read from or written to YAML: a resumed run's configuration is the one stored in that directory.
    /// </summary>
    [IgnoreDataMember]
    public string? ResumeFrom { get; init; }

    /// <summary>The run directory: <see cref="ResumeFrom"/>, else <see cref="Output"/>/<see cref="RunName"/>.</summary>
    /// <exception cref="InvalidOperationException">Neither is set; call <see cref="WithRunName"/> first.</exception>
    public string RunDirectory => ResumeFrom ?? Path.Combine(
        Output, RunName ?? throw new InvalidOperationException("The run has no name yet; call WithRunName first."));

    /// <summary>
    /// These options with <see cref="RunName"/> filled in when it is null: method, dataset and the
    /// local time, e.g. <c>ulcag-synthetic-20250131-142501</c>.
    /// </summary>
    public TrainOptions WithRunName(DateTimeOffset now) => RunName is not null ? this : this with
    {
        RunName = string.Create(CultureInfo.InvariantCulture,
            $"{EnumWords.ToWord(Method)}-{EnumWords.ToWord(Data.Format)}-{now:yyyyMMdd-HHmmss}"),
    };

    internal void Check(ConfigChecker check)
    {
        check.Require(Runtime.Device.TryParse(Device, out _), "device", $"'{Device}' is not a device; expected cpu, cuda or cuda:N (N = 0, 1, ...)");
        check.AtLeast("seed", Seed, 0);
        check.Require(Output.Trim().Length > 0, "output", "is empty; expected a folder path");
        if (RunName is not null)
        {
            check.Require(
                RunName.Length > 0 && RunName != "." && RunName != ".." && RunName.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && !RunName.Contains('\\', StringComparison.Ordinal),
                "run_name", $"'{RunName}' is not a folder name; expected a name without path separators");
        }

        check.Between("threads", Threads, 0, 1024);
        Data.Check(check.At("data"), this);
        Augment.Check(check.At("augment"));
        Model.Check(check.At("model"));
        Train.Check(check.At("train"));
        UlcAg.Check(check.At("ulcag"), this);
        Scn.Check(check.At("scn"), this);
    }

    internal TrainOptions WithFullPaths(string baseDirectory) => this with
    {
        Output = ConfigChecker.FullPath(baseDirectory, Output),
        ResumeFrom = ResumeFrom is null ? null : ConfigChecker.FullPath(baseDirectory, ResumeFrom),
        Data = Data.WithFullPaths(baseDirectory),
        Model = Model.WithFullPaths(baseDirectory),
    };
}
