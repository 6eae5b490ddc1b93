using UlcAg.Graph.Autodiff;

namespace UlcAg.Graph;

// Softmax family and its gradient rules.
public sealed partial class GraphBuilder
{
    public Value Softmax(Value x, int axis = -1)
        => Op1("Softmax", [x], x.Type, x.Shape, new Dictionary<string, object> { ["axis"] = (long)x.Shape.Axis(axis) });

    public Value LogSoftmax(Value x, int axis = -1)
        => Op1("LogSoftmax", [x], x.Type, x.Shape, new Dictionary<string, object> { ["axis"] = (long)x.Shape.Axis(axis) });
}

internal static class SoftmaxGradients
{
    internal static void Register(GradientRegistry r)
    {
        // y = softmax(x): dx = y * (dy - sum(dy * y))
        r.Register("Softmax", c =>
        {
            var axis = c.Node.Int("axis", -1);
            var y = c.O(0);
            return [y * (c.GO0 - c.G.ReduceSum(c.GO0 * y, [axis], keepDims: true))];
        });
        // y = log_softmax(x): dx = dy - exp(y) * sum(dy)
        r.Register("LogSoftmax", c =>
        {
            var axis = c.Node.Int("axis", -1);
            return [c.GO0 - c.G.Exp(c.O(0)) * c.G.ReduceSum(c.GO0, [axis], keepDims: true)];
        });
    }
}
