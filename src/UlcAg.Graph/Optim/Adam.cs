namespace UlcAg.Graph.Optim;

/// <summary>
/// Adam, or AdamW with <paramref name="decoupledWeightDecay"/>, in PyTorch's formulation:
/// m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
/// p = p - lr/(1-b1^t) m / (sqrt(v)/sqrt(1-b2^t) + eps).
/// Adam adds wd p to g; AdamW first shrinks p by lr wd p. The step count t is graph state.
/// </summary>
public sealed class Adam(IReadOnlyList<ParamGroup> groups, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, bool decoupledWeightDecay = false)
    : Optimizer(groups)
{
    private Value? _bias1;
    private Value? _bias2Sqrt;

    /// <summary>Name of the step-count state input.</summary>
    public const string StepInput = "optimizer.step";

    protected override IEnumerable<StateTransition> Prepare(GraphBuilder g)
    {
        var step = g.Input(StepInput, DType.Float);
        var t = step + 1.0;
        _bias1 = 1.0 - g.Pow(g.Scalar(beta1), t);
        _bias2Sqrt = g.Sqrt(1.0 - g.Pow(g.Scalar(beta2), t));
        yield return new StateTransition(step, t);
    }

    protected override IEnumerable<StateTransition> Update(GraphBuilder g, Value param, Value grad, Value lr, ParamGroup group)
    {
        var p = param;
        if (group.WeightDecay != 0)
        {
            if (decoupledWeightDecay) p = p - lr * group.WeightDecay * p;
            else grad = g.AddScaled(grad, param, group.WeightDecay);
        }
        var m = StateInput(g, param, "exp_avg");
        var v = StateInput(g, param, "exp_avg_sq");
        var nextM = m * beta1 + grad * (1 - beta1);
        var nextV = v * beta2 + grad * grad * (1 - beta2);
        var denom = g.Sqrt(nextV) / _bias2Sqrt! + eps;
        yield return new StateTransition(param, p - lr / _bias1! * nextM / denom);
        yield return new StateTransition(m, nextM);
        yield return new StateTransition(v, nextV);
    }
}
