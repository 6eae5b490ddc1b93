using System.Text.Json;
using UlcAg.Network.Weights;

namespace UlcAg.Training.Trainer;

/// <summary>
/// Where training stands, besides the tensors: the position (epochs completed and, after an
/// interrupt, the next batch of the current epoch), the label store, the semantic templates
/// and the best validation result so far. The loader's randomness derives from (seed, epoch,
/// batch), so no generator state needs saving.
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
}

/// <summary>
/// A checkpoint directory: <c>state.safetensors</c> (every tensor of the train step's state:
/// weights under torchvision names and optimizer buffers), <c>trainer.json</c>
/// (<see cref="TrainerState"/>). A checkpoint is written into a temporary directory and then
/// renamed over the old one, so a crash leaves either the old or the new checkpoint, never a mix.
/// </summary>
public static class Checkpoint
{
    public const string TensorsFile = "state.safetensors", StateFile = "trainer.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static void Save(string directory, IReadOnlyDictionary<string, float[]> tensors, IReadOnlyDictionary<string, long[]> shapes, TrainerState state)
    {
        var full = Path.GetFullPath(directory);
        var tmp = full + ".tmp";
        var old = full + ".old";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        var map = new TensorMap();
        foreach (var (name, data) in tensors) map.Add(name, new HostTensor(shapes[name], data));
        SafeTensorsFile.Write(Path.Combine(tmp, TensorsFile), map);
        File.WriteAllText(Path.Combine(tmp, StateFile), JsonSerializer.Serialize(state, Json));
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        if (Directory.Exists(full)) Directory.Move(full, old);
        Directory.Move(tmp, full);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    }

    public static (Dictionary<string, float[]> Tensors, TrainerState State) Load(string directory)
    {
        var tensorsPath = Path.Combine(directory, TensorsFile);
        var statePath = Path.Combine(directory, StateFile);
        if (!File.Exists(tensorsPath) || !File.Exists(statePath))
            throw new TrainingException($"no checkpoint in '{directory}': expected {TensorsFile} and {StateFile}");
        var map = SafeTensorsFile.Read(tensorsPath);
        TrainerState state;
        try
        {
            state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(statePath), Json)
                ?? throw new TrainingException($"'{statePath}' is empty");
        }
        catch (JsonException e)
        {
            throw new TrainingException($"'{statePath}' is not a valid trainer state: {e.Message}");
        }
        return (map.ToDictionary(kv => kv.Key, kv => kv.Value.Data), state);
    }
}

/// <summary>A training failure with a message meant for the user.</summary>
public sealed class TrainingException(string message) : Exception(message);
