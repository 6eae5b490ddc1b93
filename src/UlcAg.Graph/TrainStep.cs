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
        return DeclareOutputs(g, results, transitions);
    }

    /// <summary>metadata_props key of an accumulating step's micro-batch graph: "micro TAB effective" batch sizes.</summary>
    public const string AccumulationMetadataKey = "ulcag.accumulation";

    /// <summary>metadata_props key of an accumulating step's micro-batch graph: the inputs and outputs with a batch axis first, one per line.</summary>
    public const string PerSampleMetadataKey = "ulcag.per_sample";

    /// <summary>Name of the state input that accumulates the gradient of <paramref name="parameter"/> over micro-batches.</summary>
    public static string GradientName(string parameter) => parameter + ".grad";

    /// <summary>
    /// The micro-batch half of an accumulating train step: appends backward to
    /// <paramref name="g"/> and adds each parameter's gradient to its accumulator
    /// (<see cref="GradientName"/>, state: <c>G.next = G + dL/dp</c>). Parameters are read, not
    /// updated. <paramref name="loss"/> must already be this micro-batch's share of the effective
    /// batch's loss, so that the accumulated sum is the effective batch's gradient. Outputs:
    /// <paramref name="results"/>, then the next state (<paramref name="extraState"/>, e.g. batch-norm
    /// running statistics, then the accumulators).
    /// <code>
    ///   micro-batch 1..k:  params (read) + G --forward, backward--> G + grad      (k Runs)
    ///   apply:             params, optimizer state, G --update--> params', state', G = 0   (one Run)
    /// </code>
    /// </summary>
    public static IReadOnlyList<StateTransition> BuildAccumulate(
        GraphBuilder g,
        Value loss,
        IReadOnlyList<Parameter> parameters,
        IReadOnlyList<StateTransition> extraState,
        IReadOnlyList<(string Name, Value Value)> results)
    {
        var grads = Autodiff.Autodiff.Gradients(loss, parameters.Select(p => p.Value).ToArray());
        var transitions = extraState.ToList();
        using (g.Scope("accumulate"))
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                var acc = AccumulatorInput(g, parameters[i].Value);
                transitions.Add(new StateTransition(acc, acc + grads[i]));
            }
        }
        return DeclareOutputs(g, results, transitions);
    }

    /// <summary>
    /// The apply half of an accumulating train step, in an empty graph <paramref name="g"/>: the
    /// parameters (inputs named and shaped as in <paramref name="parameters"/>, which may belong to
    /// another graph) take one optimizer update from their accumulated gradients, and the
    /// accumulators restart at zero. Outputs the next state only. Returns the state transitions.
    /// </summary>
    public static IReadOnlyList<StateTransition> BuildApply(GraphBuilder g, IReadOnlyList<Parameter> parameters, Optimizer optimizer)
    {
        var ps = parameters.Select(p => new Parameter(g.Input(p.Value.Name, p.Value.Type, p.Value.Shape.ToArray()), p.Group)).ToList();
        var accs = ps.Select(p => AccumulatorInput(g, p.Value)).ToList();
        var transitions = optimizer.Apply(g, ps, accs).ToList();
        var zero = g.Scalar(0);
        using (g.Scope("reset"))
        {
            transitions.AddRange(accs.Select(acc => new StateTransition(acc, g.Expand(zero, acc.Shape))));
        }
        return DeclareOutputs(g, [], transitions);
    }

    /// <summary>Declares <paramref name="results"/> in order, then the next value of every state transition, as outputs.</summary>
    private static List<StateTransition> DeclareOutputs(GraphBuilder g, IReadOnlyList<(string Name, Value Value)> results, List<StateTransition> transitions)
    {
        foreach (var (name, value) in results) g.Output(value, name);
        foreach (var t in transitions) g.Output(t.Next, NextName(t.Input.Name));
        return transitions;
    }

    private static Value AccumulatorInput(GraphBuilder g, Value parameter) => g.Input(GradientName(parameter.Name), parameter.Type, parameter.Shape.ToArray());

    /// <summary>The metadata entry describing <paramref name="transitions"/>.</summary>
    public static KeyValuePair<string, string> StateMetadata(IEnumerable<StateTransition> transitions)
        => new(StateMetadataKey, string.Join("\n", transitions.Select(t => $"{t.Input.Name}\t{NextName(t.Input.Name)}")));
}
