namespace UlcAg.Graph;

/// <summary>
/// Records an ONNX graph: inputs, initializers, nodes (in topological order, as created) and
/// outputs, with unique names. Operator methods live in <c>Ops/*.cs</c>, one file per family,
/// next to their gradient rules.
/// </summary>
public sealed partial class GraphBuilder
{
    private readonly List<Node> _nodes = [];
    private readonly List<Value> _inputs = [];
    private readonly List<(Value Value, TensorData Data)> _initializers = [];
    private readonly List<Value> _outputs = [];
    private readonly Dictionary<string, Value> _constantCache = new(StringComparer.Ordinal);
    private readonly Dictionary<Value, TensorData> _initializerData = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<string> _scopes = new();
    private string? _openComposite;

    public GraphBuilder(string name = "graph") => Name = name;

    public string Name { get; }
    public NameAuthority Names { get; } = new();
    public IReadOnlyList<Node> Nodes => _nodes;
    public IReadOnlyList<Value> Inputs => _inputs;
    public IReadOnlyList<(Value Value, TensorData Data)> Initializers => _initializers;
    public IReadOnlyList<Value> Outputs => _outputs;

    /// <summary>Adds a graph input fed at run time.</summary>
    public Value Input(string name, DType type, params long[] shape)
    {
        var v = new Value(this, Names.Reserve(name), type, new Shape(shape), null, ValueKind.Input) { NameIsFixed = true };
        _inputs.Add(v);
        return v;
    }

    /// <summary>Adds a named initializer (a weight stored in the model).</summary>
    public Value Initializer(string name, TensorData data)
    {
        var v = new Value(this, Names.Reserve(name), data.Type, data.Shape, null, ValueKind.Initializer) { NameIsFixed = true };
        _initializers.Add((v, data));
        _initializerData[v] = data;
        return v;
    }

    /// <summary>The stored contents of an initializer or constant, or null for other values.</summary>
    public TensorData? ConstantData(Value v) => _initializerData.GetValueOrDefault(v);

    /// <summary>A constant tensor; identical small constants are shared.</summary>
    public Value Constant(TensorData data)
    {
        string? key = null;
        if (data.Shape.Size <= 16)
        {
            key = $"{data.Type}{data.Shape}:" + string.Join(",", data.Data.Cast<object>());
            if (_constantCache.TryGetValue(key, out var cached)) return cached;
        }
        var v = new Value(this, Names.Unique("const"), data.Type, data.Shape, null, ValueKind.Initializer);
        _initializers.Add((v, data));
        _initializerData[v] = data;
        if (key is not null) _constantCache[key] = v;
        return v;
    }

    /// <summary>A rank-0 constant of the given type.</summary>
    public Value Scalar(double value, DType type = DType.Float) => Constant(TensorData.Scalar(type, value));

    /// <summary>A 1-D int64 constant (shapes, axes, pads).</summary>
    public Value Int64s(params long[] values) => Constant(TensorData.Of(values, values.Length));

    /// <summary>Marks <paramref name="value"/> as a graph output named <paramref name="name"/>.</summary>
    public Value Output(Value value, string name)
    {
        if (!ReferenceEquals(value.Graph, this)) throw new ArgumentException($"value {value.Name} belongs to another graph");
        if (value.Kind == ValueKind.Intermediate && !value.NameIsFixed)
        {
            Names.Release(value.Name);
            value.Name = Names.Reserve(name);
            value.NameIsFixed = true;
        }
        else
        {
            value = Op("Identity", [value], [(value.Type, value.Shape)], outputName: name).Outputs[0];
            value.NameIsFixed = true;
        }
        _outputs.Add(value);
        return value;
    }

    /// <summary>Prefixes generated node names with <paramref name="scope"/> until disposed.</summary>
    public IDisposable Scope(string scope)
    {
        _scopes.Push(_scopes.Count == 0 ? scope : $"{_scopes.Peek()}/{scope}");
        return new ScopeExit(_scopes);
    }

    /// <summary>
    /// Records one node. <paramref name="outputs"/> gives each output's type and shape (shape
    /// inference is done by the op methods). Returns the node; its outputs are typed values.
    /// </summary>
    public Node Op(
        string opType,
        IReadOnlyList<Value?> inputs,
        IReadOnlyList<(DType Type, Shape Shape)> outputs,
        IReadOnlyDictionary<string, object>? attributes = null,
        string? outputName = null,
        bool stopsGradient = false,
        string domain = "")
    {
        foreach (var input in inputs)
        {
            if (input is not null && !ReferenceEquals(input.Graph, this))
                throw new ArgumentException($"{opType}: input {input.Name} belongs to another graph");
        }
        var stem = _scopes.Count == 0 ? opType : $"{_scopes.Peek()}/{opType}";
        var node = new Node(opType, Names.Unique(stem), inputs, attributes ?? new Dictionary<string, object>(), domain)
        {
            StopsGradient = stopsGradient,
        };
        var values = new Value[outputs.Count];
        for (var i = 0; i < outputs.Count; i++)
        {
            var name = outputName is not null && i == 0 ? Names.Reserve(outputName) : Names.Unique(i == 0 ? node.Name + ":0" : $"{node.Name}:{i}");
            values[i] = new Value(this, name, outputs[i].Type, outputs[i].Shape, node, ValueKind.Intermediate) { NameIsFixed = outputName is not null && i == 0 };
        }
        node.Outputs = values;
        _nodes.Add(node);
        return node;
    }

    /// <summary>Domain of composite nodes; they exist for autodiff only and are never exported.</summary>
    public const string CompositeDomain = "ulcag.composite";

    /// <summary>
    /// Records the nodes that <paramref name="body"/> creates as one composite op: ONNX sees only
    /// the primitives, while autodiff sees a single node of type <paramref name="opType"/> with
    /// <paramref name="inputs"/> and the values <paramref name="body"/> returns as outputs, and
    /// differentiates it with the rule registered for <paramref name="opType"/> instead of the
    /// primitives' rules (a closed-form backward needs fewer passes over large tensors).
    /// The primitives may read other values (constants), but every differentiable value they
    /// depend on must be listed in <paramref name="inputs"/>; autodiff checks this.
    /// </summary>
    public Node Composite(string opType, IReadOnlyList<Value> inputs, Func<IReadOnlyList<Value>> body, IReadOnlyDictionary<string, object>? attributes = null)
    {
        if (_openComposite is not null) throw new InvalidOperationException($"composite '{opType}' cannot be nested inside composite '{_openComposite}'");
        foreach (var input in inputs)
        {
            if (!ReferenceEquals(input.Graph, this)) throw new ArgumentException($"{opType}: input {input.Name} belongs to another graph");
        }
        var start = _nodes.Count;
        IReadOnlyList<Value> outputs;
        _openComposite = opType;
        try
        {
            outputs = body();
        }
        finally
        {
            _openComposite = null;
        }
        var members = _nodes.GetRange(start, _nodes.Count - start);
        var memberSet = new HashSet<Node>(members, ReferenceEqualityComparer.Instance);
        foreach (var o in outputs)
        {
            if (o.Producer is null || !memberSet.Contains(o.Producer))
                throw new ArgumentException($"composite '{opType}': output {o.Name} is not computed inside the composite");
        }
        var stem = _scopes.Count == 0 ? opType : $"{_scopes.Peek()}/{opType}";
        var node = new Node(opType, Names.Unique(stem), inputs.ToArray(), attributes ?? new Dictionary<string, object>(), CompositeDomain)
        {
            Outputs = outputs.ToArray(),
            Members = members,
        };
        foreach (var m in members) m.Composite = node;
        return node;
    }

    /// <summary>Shorthand for a single-output node.</summary>
    internal Value Op1(string opType, IReadOnlyList<Value?> inputs, DType type, Shape shape, IReadOnlyDictionary<string, object>? attributes = null)
        => Op(opType, inputs, [(type, shape)], attributes).Outputs[0];

    private sealed class ScopeExit(Stack<string> scopes) : IDisposable
    {
        private bool _done;
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            scopes.Pop();
        }
    }
}
