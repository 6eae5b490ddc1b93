namespace UlcAg.Training.Progress;

/// <summary>How a progress message is shown.</summary>
public enum ProgressMessageKind
{
    /// <summary>Plain information.</summary>
    Info,

    /// <summary>Something the person should notice (e.g. a diverging loss, a skipped sample).</summary>
    Warning,
}
