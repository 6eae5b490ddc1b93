namespace UlcAg.Training;

/// <summary>
/// The folder of one training run and the name of every file in it; nothing else in the project
/// spells these names. A run is finished when <see cref="TestResults"/> exists (written last).
/// </summary>
public sealed class RunFolder(string root)
{
    public const string ConfigFile = "config.yaml";
    public const string TrainStepFile = "train_step.onnx";
    /// <summary>The optimizer graph of a step that accumulates gradients (train_step.onnx is then its micro-batch graph).</summary>
    public const string ApplyStepFile = "apply_step.onnx";
    public const string EvalFile = "eval.onnx";
    public const string ModelFile = "model.onnx";
    public const string ModelFloat32File = "model.float32.onnx";
    public const string MetricsFile = "metrics.jsonl";
    public const string RelabelsFile = "relabels.csv";
    public const string AdjacencyFile = "adjacency.csv";
    public const string TestResultsFile = "test.json";
    public const string ReportFile = "report.md";
    public const string PlotsFolder = "plots";
    public const string CheckpointsFolder = "checkpoints";
    public const string LockFile = "run.lock";

    /// <summary>The run folder's full path.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    public string Config => In(ConfigFile);
    public string TrainStep => In(TrainStepFile);
    public string ApplyStep => In(ApplyStepFile);
    public string Eval => In(EvalFile);
    public string Model => In(ModelFile);
    public string ModelFloat32 => In(ModelFloat32File);
    public string Metrics => In(MetricsFile);
    public string Relabels => In(RelabelsFile);
    public string Adjacency => In(AdjacencyFile);
    public string TestResults => In(TestResultsFile);
    public string Report => In(ReportFile);
    /// <summary>Locked while a run trains in this folder (<c>Trainer/RunLock.cs</c>).</summary>
    public string Lock => In(LockFile);
    public string Checkpoints => In(CheckpointsFolder);

    /// <summary>The checkpoint of the latest completed epoch (or of an interrupt): what <c>--resume</c> continues from.</summary>
    public string LastCheckpoint => Path.Combine(Checkpoints, "last");

    /// <summary>The checkpoint of the epoch with the best validation accuracy: what the run tests and exports.</summary>
    public string BestCheckpoint => Path.Combine(Checkpoints, "best");

    /// <summary>Whether the run finished (its test results were written).</summary>
    public bool IsFinished => File.Exists(TestResults);

    /// <summary>Whether an interrupted run can be continued from <see cref="LastCheckpoint"/> (or from the complete copy a crash while writing it left beside it).</summary>
    public bool CanResume => Trainer.Checkpoint.Exists(LastCheckpoint);

    /// <summary>Whether the folder holds a run worth keeping: a checkpoint or test results. A new run may not start here.</summary>
    public bool HoldsRun => IsFinished || CanResume;

    /// <summary>Whether a run started here and stopped before its first checkpoint (its configuration is written, nothing to resume).</summary>
    public bool HoldsUnstartedRun => File.Exists(Config) && !HoldsRun;

    private string In(string name) => Path.Combine(Root, name);

    /// <inheritdoc/>
    public override string ToString() => Root;
}
