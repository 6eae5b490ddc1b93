using System.Text.Json;
using System.Text.Json.Serialization;
using UlcAg.Network.Weights;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Trainer;

/// <summary>
/// Where training stands, besides the tensors: the position (epochs completed and, after an
/// interrupt, the next batch of the current epoch), the label store, the semantic templates,
/// the best validation result so far, and what a resumed run needs to write the same logs as an
/// uninterrupted one. The loader's randomness derives from (seed, epoch, batch), so no generator
/// state needs saving.
/// </summary>
public sealed record TrainerState
{
    public int Version { get; init; } = 1;
    /// <summary>Index of the epoch to run next (0-based).</summary>
    public int Epoch { get; init; }
    /// <summary>First batch of <see cref="Epoch"/> still to run (non-zero after an interrupt).</summary>
    public int Batch { get; init; }
    public long Step { get; init; }
    public int[] Labels { get; init; } = [];
    public float[]?[] Templates { get; init; } = [];
    /// <summary>The method's other state (<see cref="Methods.MethodModule.SaveState"/>).</summary>
    public Dictionary<string, float[]> MethodState { get; init; } = [];
    public int BestEpoch { get; init; } = -1;
    public double BestValAccuracy { get; init; } = -1;
    /// <summary>Labels at the start of <see cref="Epoch"/>, for the per-epoch relabel audit.</summary>
    public int[] EpochStartLabels { get; init; } = [];
    /// <summary>
    /// Byte lengths of metrics.jsonl and relabels.csv when the checkpoint was written. Resuming cuts
    /// both back to exactly these, so lines written after the checkpoint (by the crashed or stopped
    /// process) are never repeated. Null in checkpoints written before they were recorded.
    /// </summary>
    public long? MetricsLength { get; init; }
    /// <inheritdoc cref="MetricsLength"/>
    public long? RelabelsLength { get; init; }
    /// <summary>Each training sample's latest alpha (NaN before its first batch): the first resumed epoch's alpha_auc needs the earlier ones.</summary>
    public float[]? Alpha { get; init; }
    /// <summary>The running loss sums and accuracy counts of the epoch in progress (after an interrupt), so its metrics line covers all its batches.</summary>
    public EpochTotals? EpochTotals { get; init; }
}

/// <summary>What an interrupted epoch had summed up so far: per loss term its weighted sum and weight, and the train accuracy's counts.</summary>
public sealed record EpochTotals(IReadOnlyDictionary<string, LossTotal> Losses, int Correct, int Seen);

/// <summary>
/// A checkpoint directory: <c>state.safetensors</c> (every tensor of the train step's state:
/// weights under torchvision names and optimizer buffers), <c>trainer.json</c>
/// (<see cref="TrainerState"/>) and, written last, the marker <c>complete</c>. A checkpoint is
/// written into <c>NAME.tmp</c>, the old one is renamed to <c>NAME.old</c>, the new one to
/// <c>NAME</c>, then the old one is deleted: a crash at any point leaves a complete checkpoint in
/// one of the three, which <see cref="Recover"/> puts back in place.
/// </summary>
public static class Checkpoint
{
    public const string TensorsFile = "state.safetensors", StateFile = "trainer.json", CompleteFile = "complete";

    private const string TmpSuffix = ".tmp", OldSuffix = ".old";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        // Alpha is NaN for samples not yet seen.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Save(string directory, IReadOnlyDictionary<string, float[]> tensors, IReadOnlyDictionary<string, long[]> shapes, TrainerState state)
    {
        var full = Path.GetFullPath(directory);
        var (tmp, old) = (full + TmpSuffix, full + OldSuffix);
        CheckpointFaults.Hit(CheckpointFault.BeforeWrite, full);
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        var map = new TensorMap();
        foreach (var (name, data) in tensors) map.Add(name, new HostTensor(shapes[name], data));
        SafeTensorsFile.Write(Path.Combine(tmp, TensorsFile), map);
        File.WriteAllText(Path.Combine(tmp, StateFile), JsonSerializer.Serialize(state, Json));
        File.WriteAllText(Path.Combine(tmp, CompleteFile), "");
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        if (Directory.Exists(full)) Directory.Move(full, old);
        CheckpointFaults.Hit(CheckpointFault.BetweenRenames, full);
        Directory.Move(tmp, full);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    }

    public static (Dictionary<string, float[]> Tensors, TrainerState State) Load(string directory)
    {
        var tensorsPath = Path.Combine(directory, TensorsFile);
        if (!File.Exists(tensorsPath))
            throw new TrainingException($"no checkpoint in '{directory}': expected {TensorsFile} and {StateFile}");
        var state = LoadState(directory);
        var map = SafeTensorsFile.Read(tensorsPath);
        return (map.ToDictionary(kv => kv.Key, kv => kv.Value.Data), state);
    }

    /// <summary>Only the trainer state of the checkpoint in <paramref name="directory"/> (cheap: no tensors).</summary>
    public static TrainerState LoadState(string directory)
    {
        var statePath = Path.Combine(directory, StateFile);
        if (!File.Exists(statePath))
            throw new TrainingException($"no checkpoint in '{directory}': expected {TensorsFile} and {StateFile}");
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(statePath), Json)
                ?? throw new TrainingException($"'{statePath}' is empty");
        }
        catch (JsonException e)
        {
            throw new TrainingException($"'{statePath}' is not a valid trainer state: {e.Message}");
        }
    }

    /// <summary>Whether <paramref name="directory"/>, or a complete checkpoint a crash left beside it, can be loaded.</summary>
    public static bool Exists(string directory)
    {
        var full = Path.GetFullPath(directory);
        return Directory.Exists(full) || IsComplete(full + TmpSuffix) || HasFiles(full + OldSuffix);
    }

    /// <summary>
    /// Puts the newest complete checkpoint back at <paramref name="directory"/> after a crash during
    /// <see cref="Save"/>: the directory itself if present (it only gets its name once complete), else
    /// <c>.tmp</c> if its marker was written, else <c>.old</c>; then deletes the leftover <c>.tmp</c> and
    /// <c>.old</c>. Returns a note for the user when it had to repair something, else null.
    /// </summary>
    public static string? Recover(string directory)
    {
        var full = Path.GetFullPath(directory);
        var (tmp, old) = (full + TmpSuffix, full + OldSuffix);
        string? note = null;
        if (!Directory.Exists(full))
        {
            var newest = IsComplete(tmp) ? tmp : HasFiles(old) ? old : null;
            if (newest is not null)
            {
                Directory.Move(newest, full);
                note = $"'{full}' was missing (a crash while it was being replaced); restored it from '{newest}'";
            }
        }
        foreach (var stale in new[] { tmp, old }.Where(Directory.Exists))
        {
            Directory.Delete(stale, recursive: true);
            note ??= $"removed '{stale}' left by an interrupted checkpoint write";
        }
        return note;
    }

    private static bool IsComplete(string directory) => File.Exists(Path.Combine(directory, CompleteFile));

    // .old was complete when renamed from the checkpoint; a crash while deleting it may have removed some of its files.
    private static bool HasFiles(string directory) =>
        File.Exists(Path.Combine(directory, TensorsFile)) && File.Exists(Path.Combine(directory, StateFile));
}

/// <summary>A training failure with a message meant for the user.</summary>
public sealed class TrainingException(string message) : Exception(message);
