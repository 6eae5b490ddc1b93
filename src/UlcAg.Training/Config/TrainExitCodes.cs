namespace UlcAg.Training.Config;

/// <summary>Process exit codes of <c>dotnet ulcag-train</c>.</summary>
public static class TrainExitCodes
{
    /// <summary>Training finished, or help, version or configuration was printed.</summary>
    public const int Success = 0;

    /// <summary>Training failed (unreadable data, a runtime error, ...).</summary>
    public const int Failed = 1;

    /// <summary>Bad command-line arguments or an invalid configuration.</summary>
    public const int Usage = 2;

    /// <summary>
    /// Training diverged: the loss, alpha or logits became NaN, infinite or exploded, a weight or a
    /// batch-norm statistic did, or the model kept for testing answers one class for every
    /// validation image. No model and no test results are written; the last good checkpoint is kept.
    /// </summary>
    public const int Diverged = 4;

    /// <summary>
    /// The run folder is taken: it already holds a run (a checkpoint or test.json; continue it with
    /// --resume or choose another run_name), or another live run holds its lock.
    /// </summary>
    public const int RunFolderBusy = 5;

    /// <summary>Stopped by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
