namespace UlcAg.Graph.Optim;

/// <summary>
/// A trainable parameter: a graph input whose updated value the train step outputs.
/// <paramref name="Group"/> selects the learning rate input (<c>lr.{Group}</c>) and weight decay.
/// </summary>
public sealed record Parameter(Value Value, string Group = "default");

/// <summary>A parameter group's weight decay; its learning rate is a runtime input named <c>lr.{Name}</c>.</summary>
public sealed record ParamGroup(string Name, double WeightDecay = 0);

/// <summary>A value carried from one step to the next: fed as <see cref="Input"/>, produced as <see cref="Next"/>.</summary>
public sealed record StateTransition(Value Input, Value Next);

/// <summary>Emits a parameter update as graph nodes.</summary>
public abstract class Optimizer
{
    protected Optimizer(IReadOnlyList<ParamGroup> groups)
    {
        if (groups.Count == 0) throw new ArgumentException("at least one parameter group is needed");
        Groups = groups;
    }

    public IReadOnlyList<ParamGroup> Groups { get; }

    /// <summary>Name of the scalar learning-rate input of a group.</summary>
    public static string LearningRateInput(string group) => $"lr.{group}";

    /// <summary>
    /// Appends the update of every parameter from its gradient. Returns the transitions of the
    /// parameters and of the optimizer's own state (created here as graph inputs, zero at start).
    /// </summary>
    public IReadOnlyList<StateTransition> Apply(GraphBuilder g, IReadOnlyList<Parameter> parameters, IReadOnlyList<Value> gradients)
    {
        if (parameters.Count != gradients.Count) throw new ArgumentException("one gradient per parameter is needed");
        var lrs = Groups.ToDictionary(gr => gr.Name, gr => g.Input(LearningRateInput(gr.Name), parameters[0].Value.Type));
        var transitions = new List<StateTransition>();
        using (g.Scope("optimizer"))
        {
            transitions.AddRange(Prepare(g));
            for (var i = 0; i < parameters.Count; i++)
            {
                var p = parameters[i];
                var group = Groups.FirstOrDefault(gr => gr.Name == p.Group) ?? throw new ArgumentException($"parameter '{p.Value.Name}' names unknown group '{p.Group}'");
                transitions.AddRange(Update(g, p.Value, gradients[i], lrs[group.Name], group));
            }
        }
        return transitions;
    }

    /// <summary>Optimizer-wide state (a step counter), emitted once before the updates.</summary>
    protected virtual IEnumerable<StateTransition> Prepare(GraphBuilder g) => [];

    /// <summary>The update of one parameter; the first transition must be the parameter's own.</summary>
    protected abstract IEnumerable<StateTransition> Update(GraphBuilder g, Value param, Value grad, Value lr, ParamGroup group);

    /// <summary>A zero-initialized optimizer state input shaped like <paramref name="like"/>.</summary>
    protected static Value StateInput(GraphBuilder g, Value like, string suffix) => g.Input($"{like.Name}.{suffix}", like.Type, like.Shape.ToArray());
}
