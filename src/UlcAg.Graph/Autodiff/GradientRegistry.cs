namespace UlcAg.Graph.Autodiff;

/// <summary>
/// A gradient rule: given a node and the gradients of its outputs, returns one gradient per
/// input (null for "none"). Rules may return gradients in a broadcast shape; the engine reduces
/// them to the input's shape.
/// </summary>
public delegate Value?[] GradientRule(GradContext ctx);

/// <summary>
/// The table of gradient rules, keyed by ONNX op type. Separate from rules are the ops that
/// have no gradient (their outputs do not depend differentiably on their inputs: comparisons,
/// Shape, ArgMax) and the ops that must not be differentiated (the engine fails on them).
/// </summary>
public sealed class GradientRegistry
{
    private readonly Dictionary<string, GradientRule> _rules = new(StringComparer.Ordinal);
    private readonly HashSet<string> _noGradient = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _forbidden = new(StringComparer.Ordinal);

    /// <summary>The rules for every op the compiler emits.</summary>
    public static GradientRegistry Default { get; } = CreateDefault();

    public void Register(string opType, GradientRule rule) => _rules[opType] = rule;
    public void NoGradient(params string[] opTypes) => _noGradient.UnionWith(opTypes);
    public void Forbid(string opType, string reason) => _forbidden[opType] = reason;

    public bool HasNoGradient(string opType) => _noGradient.Contains(opType);

    /// <summary>The rule for <paramref name="node"/>; fails loudly, naming the op, when there is none.</summary>
    public GradientRule RuleFor(Node node)
    {
        if (_forbidden.TryGetValue(node.OpType, out var reason))
            throw new GradientException($"op '{node.OpType}' (node '{node.Name}') must not be differentiated: {reason}");
        if (_rules.TryGetValue(node.OpType, out var rule)) return rule;
        throw new GradientException($"no gradient rule for op '{node.OpType}' (node '{node.Name}')");
    }

    /// <summary>A new registry holding the default rules, to extend with rules of one's own (composites).</summary>
    public static GradientRegistry CreateDefault()
    {
        var r = new GradientRegistry();
        ElementwiseGradients.Register(r);
        ReduceGradients.Register(r);
        ShapeGradients.Register(r);
        LinearGradients.Register(r);
        ConvGradients.Register(r);
        ConvGemmGradients.Register(r);
        ConvWinogradGradients.Register(r);
        PoolingGradients.Register(r);
        SoftmaxGradients.Register(r);
        SelectionGradients.Register(r);
        NormalizationGradients.Register(r);
        return r;
    }
}

/// <summary>What a gradient rule sees: I(i) input, O(i) output, GO(i) gradient of output.</summary>
public sealed class GradContext
{
    private readonly IReadOnlyList<Value?> _outputGrads;

    internal GradContext(GraphBuilder graph, Node node, IReadOnlyList<Value?> outputGrads)
    {
        G = graph;
        Node = node;
        _outputGrads = outputGrads;
    }

    public GraphBuilder G { get; }
    public Node Node { get; }
    public Value I(int i) => Node.Inputs[i] ?? throw new GradientException($"{Node}: optional input {i} is absent");
    public Value O(int i) => Node.Outputs[i];

    /// <summary>Gradient of output <paramref name="i"/>, or null when nothing downstream needs it.</summary>
    public Value? GO(int i) => _outputGrads[i];

    /// <summary>Gradient of output 0, which is present for any node the engine differentiates through one output.</summary>
    public Value GO0 => _outputGrads[0] ?? throw new GradientException($"{Node}: output 0 has no gradient");
}

/// <summary>Raised when a graph cannot be differentiated.</summary>
public sealed class GradientException(string message) : Exception(message);
