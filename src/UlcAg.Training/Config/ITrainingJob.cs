namespace UlcAg.Training.Config;

/// <summary>
/// The trainer as the command line sees it: one run with resolved, validated options. The run writes
/// its progress to <c>log</c> and the message of a failure to <c>errors</c> (standard error for the
/// command line), stores the options in its run directory (<see cref="OptionsYaml.WriteFile"/>), and stops cleanly (after saving a checkpoint it can resume from) when <c>ct</c> is cancelled.
/// </summary>
public interface ITrainingJob
{
    /// <summary>Trains; returns the process exit code (0 on success).</summary>
    /// <param name="options">The resolved options; <see cref="TrainOptions.RunName"/> is set.</param>
    /// <param name="log">Where progress and results are written.</param>
    /// <param name="errors">Where the message of a failed run is written.</param>
    /// <param name="ct">Cancelled when the user asks to stop (the first Ctrl-C).</param>
    int Run(TrainOptions options, TextWriter log, TextWriter errors, CancellationToken ct);
}
