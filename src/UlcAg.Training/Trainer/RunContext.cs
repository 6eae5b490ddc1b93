using UlcAg.Data.Cache;
using UlcAg.Network.Models;
using UlcAg.Runtime;
using UlcAg.Training.Config;
using UlcAg.Training.Correction;
using UlcAg.Training.Methods;
using UlcAg.Training.Metrics;
using UlcAg.Training.Progress;

namespace UlcAg.Training.Trainer;

/// <summary>
/// Everything one run trains with, set up once by <see cref="RunSetup"/> (folder, data and caches,
/// network and artifacts, ONNX Runtime sessions, label store, method), and where training stands
/// (<see cref="State"/>). The trainer and its callbacks share it.
/// </summary>
public sealed class RunContext : IDisposable
{
    private readonly List<IDisposable> _owned;

    internal RunContext(List<IDisposable> owned) => _owned = owned;

    public required TrainOptions Options { get; init; }
    public required RunFolder Folder { get; init; }
    public required PreparedData Data { get; init; }
    public required ImageCache TrainCache { get; init; }
    /// <summary>The validation images (the test images when the run has no validation split).</summary>
    public required ImageCache ValCache { get; init; }
    public required ImageCache TestCache { get; init; }
    public required NetworkOptions Network { get; init; }
    public required TrainStepArtifact Step { get; init; }
    public required ITrainStepSession Session { get; init; }
    public required StepBinding Binding { get; init; }
    /// <summary>The eval graph at the eval batch size, lowered for the device (<c>eval.onnx</c> is its portable, any-batch form).</summary>
    public required EvalRunner Eval { get; init; }
    public required LabelStore Labels { get; init; }
    public required MethodModule Method { get; init; }
    public required IProgressReporter Progress { get; init; }
    /// <summary>Whether the run continues from a checkpoint.</summary>
    public required bool Resumed { get; init; }

    /// <summary>Position, labels, templates and best epoch, as checkpoints keep them.</summary>
    public required TrainerState State { get; set; }

    /// <summary>Each training sample's alpha at its latest step (NaN until it has been in a batch).</summary>
    public required float[] LastAlpha { get; init; }

    /// <summary>The epochs this process trained (metrics.jsonl holds those of earlier processes too).</summary>
    public List<EpochMetrics> Epochs { get; } = [];

    /// <summary>The clean training labels where all are known (synthetic data, injected noise), else null.</summary>
    public int[]? CleanLabels => Labels.Clean is { } c && c.All(x => x.HasValue) ? c.Select(x => x!.Value).ToArray() : null;

    /// <summary>Which training samples started with a wrong label, where the clean labels are known.</summary>
    public bool[]? InitiallyNoisy => CleanLabels is { } clean ? Labels.Initial.Select((l, i) => l != clean[i]).ToArray() : null;

    /// <summary>The network's weights as the train step holds them now.</summary>
    public Dictionary<string, float[]> CurrentWeights()
    {
        var state = Session.ReadState();
        return Step.Weights.ToDictionary(s => s.Name, s => state[s.Name]);
    }

    /// <summary>A line for the person watching.</summary>
    public void Say(string text) => Progress.Message(text);

    public void Dispose()
    {
        Session?.Dispose();
        Eval?.Dispose();
        foreach (var d in _owned) d.Dispose();
    }
}
