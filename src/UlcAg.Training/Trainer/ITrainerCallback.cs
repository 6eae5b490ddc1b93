using UlcAg.Data.Loading;
using UlcAg.Training.Correction;
using UlcAg.Training.Methods;
using UlcAg.Training.Metrics;
using UlcAg.Training.Progress;

namespace UlcAg.Training.Trainer;

/// <summary>
/// Something a run does beside the loop (checkpoints, logs, the report, progress), told what
/// happened at a handful of points (the role of Lightning's Callback). Hooks run in the order the
/// callbacks were given to the <see cref="Trainer"/>.
/// </summary>
public interface ITrainerCallback
{
    /// <summary>The run is set up (and, when resumed, restored) and about to train.</summary>
    void OnFitStart(RunContext run) { }

    /// <summary>A training epoch begins.</summary>
    void OnTrainEpochStart(RunContext run, EpochStart start) { }

    /// <summary>A training step is done and the method has done its work between steps.</summary>
    void OnTrainBatchEnd(RunContext run, BatchEnd batch) { }

    /// <summary>The run stops at an interrupt (Ctrl-C, SIGTERM) after the step in progress; <see cref="RunContext.State"/> points at the next batch.</summary>
    void OnInterrupted(RunContext run, Interruption interruption) { }

    /// <summary>An epoch is trained and validated; <see cref="RunContext.State"/> already points at the next one.</summary>
    void OnEpochEnd(RunContext run, EpochEnd epoch) { }

    /// <summary>Training is over and the best weights are tested.</summary>
    void OnFitEnd(RunContext run, TestOutcome test) { }
}

/// <summary>One finished step: its batch, the label changes it led to, and the progress so far.</summary>
public sealed record BatchEnd(int Epoch, LoaderBatch Batch, IReadOnlyList<RelabelEvent> Relabels, StepProgress Progress);

/// <summary>Where an interrupted run stopped: epoch (0-based) and the next batch to run.</summary>
public sealed record Interruption(int Epoch, int NextBatch);

/// <summary>A trained and validated epoch: what it measured, the weights it ended with, and the label changes the method made after its last step.</summary>
public sealed record EpochEnd(EpochMetrics Metrics, IReadOnlyDictionary<string, float[]> Weights)
{
    public IReadOnlyList<RelabelEvent> Relabels { get; init; } = [];
}

/// <summary>The test of the best weights: confusion matrix, the method's own scores, how the labels moved over the run.</summary>
public sealed record TestOutcome(ConfusionMatrix Test, BranchScores Branches, RelabelAudit Audit, IReadOnlyDictionary<string, float[]> Weights);
