using UlcAg.Graph.Autodiff;
using UlcAg.Graph.Optim;

namespace UlcAg.Graph;

/// <summary>
/// Assembles a train-step graph: forward and loss (already recorded), backward, optimizer
/// update, and the outputs. Every piece of state (parameters, optimizer buffers, batch-norm
/// running statistics) is a graph input <c>X</c> with a matching output <c>X.next</c>; the
/// pairs are listed in the model's metadata under <see cref="StateMetadataKey"/> so that a
/// runtime can carry them from step to step without any other description.
/// </summary>
public static class TrainStep
{
    /// <summary>metadata_props key of the state pairs: lines of "input TAB output".</summary>
    public const string StateMetadataKey = "ulcag.train_state";

    /// <summary>Name of the output that carries the next value of state input <paramref name="input"/>.</summary>
    public static string NextName(string input) => input + ".next";

    /// <summary>
    /// Appends backward and update to <paramref name="g"/> and declares the outputs: first
    /// <paramref name="results"/> in order, then the next state. Returns the state transitions.
    /// </summary>
    public static IReadOnlyList<StateTransition> Build(
        GraphBuilder g,
        Value loss,
        IReadOnlyList<Parameter> parameters,
        Optimizer optimizer,
        IReadOnlyList<StateTransition> extraState,
        IReadOnlyList<(string Name, Value Value)> results)
    {
        var grads = Autodiff.Autodiff.Gradients(loss, parameters.Select(p => p.Value).ToArray());
        var transitions = optimizer.Apply(g, parameters, grads).Concat(extraState).ToList();
        foreach (var (name, value) in results) g.Output(value, name);
        foreach (var t in transitions) g.Output(t.Next, NextName(t.Input.Name));
        return transitions;
    }

    /// <summary>The metadata entry describing <paramref name="transitions"/>.</summary>
    public static KeyValuePair<string, string> StateMetadata(IEnumerable<StateTransition> transitions)
        => new(StateMetadataKey, string.Join("\n", transitions.Select(t => $"{t.Input.Name}\t{NextName(t.Input.Name)}")));
}
