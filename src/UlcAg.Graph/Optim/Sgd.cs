namespace UlcAg.Graph.Optim;

/// <summary>
/// SGD with momentum and L2 weight decay, PyTorch's formulation (dampening 0):
/// d = g + wd p;  buf = mu buf + d;  p = p - lr buf.
/// The momentum buffer starts at zero, which makes the first step equal PyTorch's buf = d.
/// </summary>
public sealed class Sgd(IReadOnlyList<ParamGroup> groups, double momentum = 0.9) : Optimizer(groups)
{
    public double Momentum { get; } = momentum;

    protected override IEnumerable<StateTransition> Update(GraphBuilder g, Value param, Value grad, Value lr, ParamGroup group)
    {
        // Two Adds, not one three-way Sum: ONNX Runtime's Sum of three 2.4M-element tensors takes
        // 4.5 ms where the two Adds take 2.6 (docs/BENCHMARKS.md).
        var d = group.WeightDecay != 0 ? g.AddScaled(grad, param, group.WeightDecay) : grad;
        if (Momentum == 0)
        {
            yield return new StateTransition(param, param - lr * d);
            yield break;
        }
        var buf = StateInput(g, param, "momentum");
        var nextBuf = buf * Momentum + d;
        yield return new StateTransition(param, param - lr * nextBuf);
        yield return new StateTransition(buf, nextBuf);
    }
}
