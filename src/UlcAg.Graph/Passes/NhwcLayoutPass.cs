namespace UlcAg.Graph.Passes;

/// <summary>
/// Export pass for graphs whose convolutions are lowered to NHWC GEMMs
/// (<see cref="ConvLowering.NhwcGemm"/>). Each lowered convolution reads its input through
/// Transpose(0,2,3,1) and returns Transpose(0,3,1,2) of an NHWC result (both marked
/// <see cref="Node.IsLayoutBoundary"/>; other transposes, of weights say, are left alone); this pass computes the
/// layout-agnostic ops in between (elementwise ops, reductions over kept axes, Expand) on the
/// NHWC values instead, so that those transposes disappear:
/// <code>
///   before:  conv rows --T(0312)--> y --Mul/Add/Relu--> h --T(0231)--> next conv rows
///   after:   conv rows ------------> Mul/Add/Relu (NHWC) ---------> next conv rows
/// </code>
/// An NCHW value is still produced, by one Transpose of its NHWC twin, where an op that depends
/// on the layout (MaxPool, Reshape, graph outputs, ...) reads it. ONNX Runtime's own transpose
/// optimizer stops at residual additions and multi-consumer values; this pass decides per op,
/// knowing every static shape.
/// </summary>
internal sealed class NhwcLayoutPass
{
    private static readonly long[] ToNhwc = [0, 2, 3, 1];
    private static readonly long[] ToNchw = [0, 3, 1, 2];

    private static readonly HashSet<string> Elementwise = new(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Where", "Greater", "GreaterOrEqual", "Less",
        "LessOrEqual", "Equal", "And", "Or", "Not", "Relu", "LeakyRelu", "Neg", "Exp", "Log", "Sqrt", "Reciprocal",
        "Abs", "Sigmoid", "Tanh", "Identity", "Cast",
    };

    private static readonly HashSet<string> AttributeAxesReductions = new(StringComparer.Ordinal) { "ReduceMean", "ReduceSumSquare", "ReduceMax", "ReduceMin" };

    private readonly GraphBuilder _g;
    private readonly List<Node> _emitted = [];
    private readonly List<(Value Value, TensorData Data)> _constants = [];
    private readonly Dictionary<Value, Value> _twin = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Value, Value> _alias = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Value> _deferred = new(ReferenceEqualityComparer.Instance);

    private NhwcLayoutPass(GraphBuilder g) => _g = g;

    /// <summary>Rewrites <paramref name="nodes"/> (in graph order); returns the nodes to write and the constants they add.</summary>
    public static (List<Node> Nodes, List<(Value Value, TensorData Data)> Constants) Run(GraphBuilder g, IEnumerable<Node> nodes)
    {
        var pass = new NhwcLayoutPass(g);
        foreach (var node in nodes) pass.Visit(node);
        foreach (var output in g.Outputs) pass.Demand(output);
        return (pass._emitted, pass._constants);
    }

    private void Visit(Node node)
    {
        if (IsTranspose(node, ToNchw))
        {
            // The NHWC input is the twin; the NCHW value is made only if something needs it.
            var output = node.Outputs[0];
            _twin[output] = Resolve(node.Inputs[0]!);
            _deferred.Add(output);
            return;
        }
        if (IsTranspose(node, ToNhwc) && _twin.TryGetValue(Resolve(node.Inputs[0]!), out var twin))
        {
            _alias[node.Outputs[0]] = twin;
            return;
        }
        if (TryNhwc(node)) return;
        Emit(node, node.Inputs.Select(i => i is null ? null : Demand(i)).ToArray());
    }

    /// <summary>Computes a layout-agnostic node on NHWC twins when that saves transposes.</summary>
    private bool TryNhwc(Node node)
    {
        var op = node.OpType;
        var isReduction = AttributeAxesReductions.Contains(op) || op == "ReduceSum";
        if (node.Domain.Length != 0 || !(Elementwise.Contains(op) || isReduction || op == "Expand")) return false;
        if (node.Outputs.Any(o => o.Rank != 4 || !o.Shape.IsStatic)) return false;

        var inputs = node.Inputs.Select(i => i is null ? null : Resolve(i)).ToArray();
        var data = isReduction || op == "Expand" ? inputs.Take(1).ToArray() : inputs;
        var hot = data.Count(i => i is not null && _twin.ContainsKey(i));
        var cold = data.Count(i => i is not null && i.Rank == 4 && !_twin.ContainsKey(i) && !IsOrderPreserving(i.Shape) && !IsCheapToRederive(i));
        if (hot == 0 || cold > hot) return false;
        foreach (var i in data)
        {
            // Lower-rank operands broadcast against trailing axes, which the layout change moves.
            if (i is not null && i.Rank != 4 && !i.Shape.All(d => d == 1)) return false;
        }

        var attributes = new Dictionary<string, object>(node.Attributes);
        var newInputs = new Value?[inputs.Length];
        for (var k = 0; k < inputs.Length; k++)
        {
            var input = inputs[k];
            if (input is null) continue;
            var isData = k < data.Length;
            newInputs[k] = isData && input.Rank == 4 ? TwinOf(input) : Demand(input);
        }
        if (isReduction)
        {
            if (node.Int("keepdims", 1) != 1) return false;
            if (op == "ReduceSum")
            {
                if (inputs.Length < 2 || inputs[1] is null) return false;
                if (_g.ConstantData(node.Inputs[1]!)?.Data is not long[] axes) return false;
                newInputs[1] = Constant(TensorData.Of(MapAxes(axes), axes.Length));
            }
            else if (node.Attributes.ContainsKey("axes"))
            {
                attributes["axes"] = MapAxes(node.Ints("axes", []));
            }
        }
        if (op == "Expand")
        {
            if (inputs[0]!.Rank != 4 && inputs[0]!.Shape.Size != 1) return false;
            newInputs[1] = Constant(TensorData.Of(Permute(node.Outputs[0].Shape.ToArray(), ToNhwc), 4));
        }

        var outputs = node.Outputs.Select(o => NewValue(o.Type, Permute(o.Shape.ToArray(), ToNhwc), o.Name + ".nhwc")).ToArray();
        Emit(NewNode(op, node.Name + ".nhwc", newInputs, outputs, attributes));
        for (var k = 0; k < outputs.Length; k++)
        {
            _twin[node.Outputs[k]] = outputs[k];
            _deferred.Add(node.Outputs[k]);
        }
        return true;
    }

    /// <summary>The NHWC form of a rank-4 value, made from its NCHW value when it has no twin.</summary>
    private Value TwinOf(Value v)
    {
        v = Resolve(v);
        if (_twin.TryGetValue(v, out var twin)) return twin;
        var shape = Permute(v.Shape.ToArray(), ToNhwc);
        if (IsCheapToRederive(v))
        {
            // Expand of a small tensor: expand its NHWC form instead of transposing the big result.
            var producer = v.Producer!;
            var source = producer.Inputs[0]!;
            twin = NewValue(v.Type, shape, v.Name + ".nhwc");
            Emit(NewNode("Expand", producer.Name + ".nhwc", [source.Rank == 4 ? TwinOf(source) : Demand(source), Constant(TensorData.Of(shape, 4))], [twin], new Dictionary<string, object>()));
        }
        else
        {
            twin = NewValue(v.Type, shape, v.Name + ".nhwc");
            Emit(Relayout(Demand(v), twin, ToNhwc));
        }
        _twin[v] = twin;
        return twin;
    }

    /// <summary>The NCHW value itself, transposed back from its twin the first time something needs it.</summary>
    private Value Demand(Value v)
    {
        v = Resolve(v);
        if (_deferred.Remove(v)) Emit(Relayout(_twin[v], v, ToNchw));
        return v;
    }

    private Value Resolve(Value v) => _alias.TryGetValue(v, out var a) ? a : v;

    /// <summary>A Transpose, or a Reshape when the permutation does not move any element.</summary>
    private Node Relayout(Value from, Value to, long[] perm)
    {
        if (IsOrderPreserving(from.Shape))
            return NewNode("Reshape", to.Name + ".relayout", [from, Constant(TensorData.Of(to.Shape.ToArray(), 4))], [to], new Dictionary<string, object>());
        return NewNode("Transpose", to.Name + ".relayout", [from], [to], new Dictionary<string, object> { ["perm"] = perm });
    }

    /// <summary>An Expand (emitted in NCHW) of a rank-4 tensor whose layouts share one memory order.</summary>
    private bool IsCheapToRederive(Value v)
        => v.Producer is { OpType: "Expand" } p && p.Inputs[0] is { } src && !_deferred.Contains(v) && (src.Rank == 4 && IsOrderPreserving(Resolve(src).Shape) || src.Rank == 0);

    /// <summary>True when at most one of the axes C, H, W is larger than 1 (and so NCHW and NHWC order agree).</summary>
    private static bool IsOrderPreserving(Shape s) => s.Rank == 4 && new[] { s[1], s[2], s[3] }.Count(d => d != 1) <= 1;

    private static bool IsTranspose(Node node, long[] perm)
        => node.IsLayoutBoundary && node.Ints("perm", []).AsSpan().SequenceEqual(perm);

    private static long[] MapAxes(long[] axes) => axes.Select(a => (long)Array.IndexOf(ToNhwc, a < 0 ? a + 4 : a)).Order().ToArray();

    private static long[] Permute(long[] dims, long[] perm) => perm.Select(p => dims[p]).ToArray();

    private void Emit(Node node) => _emitted.Add(node);

    private void Emit(Node node, Value?[] inputs)
    {
        if (inputs.Zip(node.Inputs).All(p => ReferenceEquals(p.First, p.Second)))
        {
            _emitted.Add(node);
            return;
        }
        // The original node is not written, so the copy keeps its name.
        _emitted.Add(new Node(node.OpType, node.Name, inputs, node.Attributes, node.Domain) { Outputs = node.Outputs });
    }

    private Value NewValue(DType type, long[] shape, string stem)
        => new(_g, _g.Names.Unique(stem), type, new Shape(shape), null, ValueKind.Intermediate);

    private Value Constant(TensorData data)
    {
        var v = new Value(_g, _g.Names.Unique("layout_const"), data.Type, data.Shape, null, ValueKind.Initializer);
        _constants.Add((v, data));
        return v;
    }

    private Node NewNode(string op, string name, IReadOnlyList<Value?> inputs, IReadOnlyList<Value> outputs, IReadOnlyDictionary<string, object> attributes)
        => new(op, _g.Names.Unique(name), inputs, attributes, "") { Outputs = outputs };
}
