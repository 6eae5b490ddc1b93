namespace UlcAg.Graph.Optim;

/// <summary>
/// SGD with momentum and L2 weight decay, PyTorch's formulation (dampening 0):
/// d = g + wd p;  buf = mu buf + d;  p = p - lr buf  (Nesterov: p = p - lr (d + mu buf)).
/// The momentum buffer starts at zero, which makes the first step equal PyTorch's buf = d.
/// </summary>
public sealed class Sgd(IReadOnlyList<ParamGroup> groups, double momentum = 0.9, bool nesterov = false) : Optimizer(groups)
{
    public double Momentum { get; } = momentum;
    public bool Nesterov { get; } = nesterov;

    protected override IEnumerable<StateTransition> Update(GraphBuilder g, Value param, Value grad, Value lr, ParamGroup group)
    {
        // d = g + wd p enters every sum as two terms: a three-way Sum reads each large tensor
        // once instead of going through an intermediate.
        Value[] d = group.WeightDecay != 0 ? [grad, param * group.WeightDecay] : [grad];
        if (Momentum == 0)
        {
            yield return new StateTransition(param, param - lr * g.Sum(d));
            yield break;
        }
        var buf = StateInput(g, param, "momentum");
        var nextBuf = g.Sum([buf * Momentum, .. d]);
        var step = Nesterov ? g.Sum([nextBuf * Momentum, .. d]) : nextBuf;
        yield return new StateTransition(param, param - lr * step);
        yield return new StateTransition(buf, nextBuf);
    }
}
