using UlcAg.Network.Weights;
using UlcAg.Training.Progress;

namespace UlcAg.Training.Trainer;

/// <summary>
/// Keeps <c>checkpoints/best</c> in agreement with the best epoch that <c>checkpoints/last/trainer.json</c>
/// names. The two are written one after the other, so a crash (or a failed write) between them leaves
/// best/ one improvement behind. On resume that is repaired when possible (the best epoch is the last
/// one completed, so last/ holds its weights) and refused otherwise; at the end of a run the weights
/// tested and exported must come from the epoch test.json reports.
/// </summary>
internal static class BestCheckpoint
{
    /// <summary>Recovers best/ from a crash while writing it, then checks it against <paramref name="last"/>, rebuilding it from last/ when it lags behind.</summary>
    /// <exception cref="TrainingException">best/ disagrees with last/ and cannot be rebuilt.</exception>
    public static void Reconcile(RunFolder folder, TrainerState last, IReadOnlyDictionary<string, float[]> lastTensors, IReadOnlyList<ParameterSpec> weights, IProgressReporter progress)
    {
        var best = folder.BestCheckpoint;
        if (Checkpoint.Recover(best) is { } note) progress.Message($"checkpoint: {note}");
        int? held = Directory.Exists(best) ? Checkpoint.LoadState(best).BestEpoch : null;
        if (held == last.BestEpoch || (held is null && last.BestEpoch < 0)) return;
        var holds = held is { } e ? $"holds epoch {e}" : "is missing";
        if (last.BestEpoch == last.Epoch && last.Batch == 0 && weights.All(w => lastTensors.ContainsKey(w.Name)))
        {
            Checkpoint.Save(best, weights.ToDictionary(w => w.Name, w => lastTensors[w.Name]), weights.ToDictionary(w => w.Name, w => w.Shape), last);
            progress.Message($"checkpoint: '{best}' {holds} but {Checkpoint.StateFile} names epoch {last.BestEpoch} the best (a crash between the two writes); rebuilt it from '{folder.LastCheckpoint}'");
            return;
        }
        throw new TrainingException(
            $"'{best}' {holds}, but '{Path.Combine(folder.LastCheckpoint, Checkpoint.StateFile)}' names epoch {last.BestEpoch} the best, " +
            "and that epoch's weights are kept nowhere else; the run cannot export the right model. Start it again under another run_name");
    }

    /// <summary>The weights of the best epoch <paramref name="state"/> names, from best/.</summary>
    /// <exception cref="TrainingException">best/ is missing or holds another epoch.</exception>
    public static Dictionary<string, float[]> Load(RunFolder folder, TrainerState state)
    {
        var best = folder.BestCheckpoint;
        if (!Directory.Exists(best))
            throw new TrainingException($"'{best}' is missing; expected the weights of the best epoch {state.BestEpoch} to test and export");
        var (tensors, saved) = Checkpoint.Load(best);
        if (saved.BestEpoch != state.BestEpoch)
            throw new TrainingException($"'{best}' holds epoch {saved.BestEpoch}, but the best epoch is {state.BestEpoch}; refusing to test and export weights of another epoch");
        return tensors;
    }
}
