namespace UlcAg.Runtime;

/// <summary>
/// A train step as the trainer runs it: fill the feeds, <see cref="Step"/>, read the results; the
/// state (weights, optimizer buffers) stays in the session between steps. One graph
/// (<see cref="TrainingSession"/>) or micro-batches and an update (<see cref="AccumulatingTrainingSession"/>).
/// </summary>
public interface ITrainStepSession : IDisposable
{
    Device Device { get; }

    IReadOnlyCollection<string> FeedNames { get; }

    IReadOnlyCollection<string> ResultNames { get; }

    /// <summary>The state a checkpoint keeps: weights, running statistics, optimizer buffers.</summary>
    IEnumerable<string> StateNames { get; }

    long[] StateShape(string name);

    /// <summary>Number of steps run.</summary>
    long Steps { get; }

    /// <summary>The host buffer of feed <paramref name="name"/>, to be filled before <see cref="Step"/>.</summary>
    Span<T> Feed<T>(string name) where T : unmanaged;

    /// <summary>The host buffer of result <paramref name="name"/>, valid after <see cref="Step"/> until the next one.</summary>
    ReadOnlySpan<T> Result<T>(string name) where T : unmanaged;

    /// <summary>Shape of a feed or result.</summary>
    long[] ShapeOf(string name);

    /// <summary>Runs one train step: one parameter update from the fed batch.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "TrainingSession.Step predates the interface; its callers are C#.")]
    void Step();

    /// <summary>Copies the current value of every tensor of <see cref="StateNames"/> to the host.</summary>
    Dictionary<string, float[]> ReadState();

    /// <summary>Overwrites the state of <see cref="StateNames"/>; entries absent from <paramref name="values"/> become zero.</summary>
    void WriteState(IReadOnlyDictionary<string, float[]> values);
}
