using UlcAg.Runtime;

namespace UlcAg.Training.Trainer;

/// <summary>
/// The train step's inputs and outputs as the trainer and the method use them. It is built with the
/// names the run will feed and read, and fails then, before the first step, when the compiled step
/// lacks one; a later feed of a name not declared is a programming error and throws too.
/// </summary>
public sealed class StepBinding
{
    private readonly ITrainStepSession _session;
    private readonly HashSet<string> _feeds;

    /// <exception cref="TrainingException">The step has no input or output of a declared name.</exception>
    public StepBinding(ITrainStepSession session, IEnumerable<string> feeds, IEnumerable<string> results)
    {
        _session = session;
        _feeds = [.. feeds];
        var missing = _feeds.Where(n => !session.FeedNames.Contains(n)).Select(n => $"input '{n}'")
            .Concat(results.Where(n => !session.ResultNames.Contains(n)).Select(n => $"output '{n}'")).ToList();
        if (missing.Count > 0)
            throw new TrainingException($"the train step has no {string.Join(", no ", missing)}; the method and the compiled graph disagree");
    }

    /// <summary>Sets scalar input <paramref name="name"/>.</summary>
    public void SetScalar(string name, double value) => Feed<float>(name)[0] = (float)value;

    /// <summary>The host buffer of input <paramref name="name"/>, written before <see cref="ITrainStepSession.Step"/>.</summary>
    public Span<T> Feed<T>(string name) where T : unmanaged
        => _feeds.Contains(name) ? _session.Feed<T>(name) : throw new InvalidOperationException($"input '{name}' was not declared when the step was bound");

    /// <summary>Output <paramref name="name"/> of the last step.</summary>
    public ReadOnlySpan<T> Result<T>(string name) where T : unmanaged => _session.Result<T>(name);
}
