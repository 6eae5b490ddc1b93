using UlcAg.Training.Progress;

namespace UlcAg.Training.Trainer;

/// <summary>
/// Decides how a run starts in its folder, and makes the folder fit for that, before anything in it
/// is written. A new run never starts over an earlier one (that would replace its model, checkpoints
/// and configuration and mix the two runs' logs): a folder holding a checkpoint or test results is
/// refused. A run that stopped before its first checkpoint left nothing to resume, so it is started
/// over in place, with or without <c>--resume</c>. A resumed run first gets back the checkpoint a
/// crash while writing it may have left half renamed.
/// </summary>
internal static class RunFolderStart
{
    /// <summary>Whether the run continues from <see cref="RunFolder.LastCheckpoint"/> (false: it starts at epoch 1).</summary>
    /// <exception cref="RunFolderBusyException">A new run was asked for in a folder that holds a run.</exception>
    public static bool Prepare(RunFolder folder, bool resumeRequested, IProgressReporter progress)
    {
        if (!resumeRequested)
        {
            if (folder.HoldsRun)
            {
                var what = folder.IsFinished ? $"a finished run ({RunFolder.TestResultsFile})" : "a run with checkpoints";
                throw new RunFolderBusyException(
                    $"'{folder.Root}' already holds {what}; continue it with --resume {folder.Root}, " +
                    "or choose another run_name (--set run_name=NAME) to keep both");
            }
            if (folder.HoldsUnstartedRun)
            {
                progress.Message($"'{folder.Root}' holds a run that stopped before its first checkpoint; starting it over in place");
                ClearProgress(folder);
            }
            return false;
        }
        if (Checkpoint.Recover(folder.LastCheckpoint) is { } note) progress.Message($"checkpoint: {note}");
        if (folder.CanResume) return true;
        progress.Message($"'{folder.Root}' has no checkpoint to resume (the run stopped before its first checkpoint); starting it over with its stored {RunFolder.ConfigFile}");
        ClearProgress(folder);
        return false;
    }

    /// <summary>Removes what an earlier attempt wrote while training: logs, checkpoints and their leftovers, results.</summary>
    private static void ClearProgress(RunFolder folder)
    {
        foreach (var file in new[] { folder.Metrics, folder.Relabels, folder.TestResults }) File.Delete(file);
        if (Directory.Exists(folder.Checkpoints)) Directory.Delete(folder.Checkpoints, recursive: true);
    }
}
