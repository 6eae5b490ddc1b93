namespace UlcAg.Training.Progress;

/// <summary>How training progress is shown.</summary>
public enum ProgressMode
{
    /// <summary>A live bar on an interactive terminal, plain lines when output is redirected.</summary>
    Auto,

    /// <summary>A live progress bar (<see cref="LiveProgressReporter"/>).</summary>
    Live,

    /// <summary>Plain lines (<see cref="PlainProgressReporter"/>).</summary>
    Plain,

    /// <summary>Nothing (<see cref="QuietProgressReporter"/>).</summary>
    Quiet,
}
