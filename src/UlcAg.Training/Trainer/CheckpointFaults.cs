namespace UlcAg.Training.Trainer;

/// <summary>The points between checkpoint writes where a crash leaves a partly written run behind.</summary>
internal enum CheckpointFault
{
    /// <summary>A checkpoint directory is about to be written (nothing of it on disk yet).</summary>
    BeforeWrite,
    /// <summary>The old checkpoint is renamed to <c>.old</c>, the new one is still <c>.tmp</c>.</summary>
    BetweenRenames,
    /// <summary><c>checkpoints/last</c> is written, <c>checkpoints/best</c> of the same epoch not yet.</summary>
    BetweenLastAndBest,
}

/// <summary>
/// A hook at each <see cref="CheckpointFault"/> point, so tests can crash a run exactly there (by
/// throwing) and check that resuming repairs it. Unset outside tests; scoped to the async flow that
/// sets it, so runs in other tests are not affected.
/// </summary>
internal static class CheckpointFaults
{
    private static readonly AsyncLocal<Action<CheckpointFault, string>?> Hook = new();

    /// <summary>The hook called at each point with the checkpoint directory concerned; null for none.</summary>
    public static Action<CheckpointFault, string>? OnPoint
    {
        get => Hook.Value;
        set => Hook.Value = value;
    }

    public static void Hit(CheckpointFault point, string directory) => Hook.Value?.Invoke(point, directory);
}
