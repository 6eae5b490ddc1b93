namespace UlcAg.Graph.Passes;

/// <summary>
/// Export pass for graphs whose convolutions are lowered to NHWC GEMMs
/// (<see cref="ConvLowering.NhwcGemm"/>). Each lowered convolution reads its input through
/// Transpose(0,2,3,1) and returns Transpose(0,3,1,2) of an NHWC result, both marked
/// <see cref="Node.IsLayoutBoundary"/>. This pass computes the ops between convolutions on
/// "twins": the same values in NHWC element order, as rows [N*H*W, C] (or [N, H*W, C] where a
/// per-sample operand needs the batch axis), so that those transposes disappear:
/// <code>
///   before:  gemm rows --T(0312)--> y --BN/Relu/Add--> h --T(0231)--> next gemm
///   after:   gemm rows -------------> BN/Relu/Add on rows -----------> next gemm
/// </code>
/// Elementwise ops, BatchNormalization (as a 2-D [rows, C] batch norm) and reductions over
/// (N, H, W) or (H, W) — as a product with a row of ones, which ONNX Runtime runs far faster
/// than a reduction over leading axes — move to the twins; an NCHW value is made again, by one
/// transpose of its twin, only where a layout-dependent op (MaxPool, Reshape, a graph output)
/// reads it. ONNX Runtime's own transpose optimizer stops at residual additions and values with
/// several consumers; this pass decides per op, knowing every static shape.
/// </summary>
internal sealed class NhwcLayoutPass
{
    private static readonly long[] ToNhwc = [0, 2, 3, 1];
    private static readonly long[] ToNchw = [0, 3, 1, 2];

    private static readonly HashSet<string> Elementwise = new(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Where", "Greater", "GreaterOrEqual", "Less",
        "LessOrEqual", "Equal", "And", "Or", "Not", "Relu", "LeakyRelu", "Neg", "Exp", "Log", "Sqrt", "Reciprocal",
        "Abs", "Sign", "Sigmoid", "Tanh", "Identity", "Cast",
    };

    /// <summary>How a rank-4 NCHW operand relates to the [N, C, H, W] activation of an op.</summary>
    private enum Kind { Full, PerChannel, PerSampleChannel, Single, Other }

    private readonly GraphBuilder _g;
    private readonly List<Node> _emitted = [];
    private readonly List<(Value Value, TensorData Data)> _constants = [];
    private readonly Dictionary<Value, Value> _twin = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Value, Value> _alias = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Value> _deferred = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(Value, string), Value> _views = [];
    private readonly Dictionary<string, Value> _shared = new(StringComparer.Ordinal);

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
        if (IsBoundary(node, ToNchw))
        {
            // The NHWC result is the twin; the NCHW value is made only if something needs it.
            var output = node.Outputs[0];
            _twin[output] = Resolve(node.Inputs[0]!);
            _deferred.Add(output);
            return;
        }
        if (IsBoundary(node, ToNhwc))
        {
            // Only a Reshape reads the NHWC transpose of a lowered convolution's input.
            var input = Resolve(node.Inputs[0]!);
            if (_twin.TryGetValue(input, out var twin))
            {
                _alias[node.Outputs[0]] = twin;
                return;
            }
            // An input without a twin (a graph input, a MaxPool result) is transposed here once,
            // and the result serves every other NHWC reader.
            Emit(node, [Demand(input)]);
            _twin[input] = node.Outputs[0];
            return;
        }
        var converted = node.Domain.Length == 0 && node.OpType switch
        {
            var op when Elementwise.Contains(op) => TryElementwise(node),
            "ReduceMean" or "ReduceSum" or "ReduceSumSquare" => TryReduction(node),
            "BatchNormalization" => TryBatchNorm(node),
            _ => false,
        };
        if (!converted) Emit(node, node.Inputs.Select(i => i is null ? null : Demand(i)).ToArray());
    }

    private bool TryElementwise(Node node)
    {
        var output = node.Outputs[0];
        if (output.Rank != 4 || !output.Shape.IsStatic || node.Outputs.Count != 1) return false;
        var act = output.Shape;
        var inputs = node.Inputs.Select(i => i is null ? null : Resolve(i)).ToArray();
        var kinds = inputs.Select(i => i is null ? Kind.Single : Classify(i.Shape, act)).ToArray();
        if (kinds.Contains(Kind.Other) || Classify(act, act) == Kind.Other) return false;
        var twins = inputs.Count(i => i is not null && _twin.ContainsKey(i));
        var fullTwins = inputs.Where((i, k) => i is not null && kinds[k] == Kind.Full && _twin.ContainsKey(i)).Count();
        var fullCold = inputs.Where((i, k) => i is not null && kinds[k] == Kind.Full && !_twin.ContainsKey(i) && !IsRederivable(i)).Count();
        if (twins == 0 || fullCold > fullTwins) return false;

        var threeD = kinds.Contains(Kind.PerSampleChannel) || Classify(act, act) == Kind.PerSampleChannel;
        // Single values broadcast as they are, unless their rank would raise the result's.
        var newInputs = inputs.Select((i, k) => i is null ? null
            : kinds[k] == Kind.Single && i.Rank <= 2 ? Demand(i)
            : View(i, ViewShape(kinds[k], act, threeD))).ToArray();
        var result = NewValue(output.Type, ViewShape(Classify(act, act), act, threeD), output.Name + ".nhwc");
        Emit(NewNode(node.OpType, node.Name + ".nhwc", newInputs, [result], node.Attributes));
        SetTwin(output, result);
        return true;
    }

    /// <summary>Sums and means over (N, H, W) or (H, W) with kept axes, as a product with a row of ones.</summary>
    private bool TryReduction(Node node)
    {
        var x = Resolve(node.Inputs[0]!);
        var output = node.Outputs[0];
        if (x.Rank != 4 || x.Type != DType.Float || !x.Shape.IsStatic || !_twin.ContainsKey(x) || node.Int("keepdims", 1) != 1) return false;
        long[]? axes = node.OpType == "ReduceSum"
            ? (node.Inputs.Count > 1 && node.Inputs[1] is { } a ? _g.ConstantData(a)?.Data as long[] : [])
            : node.Ints("axes", []);
        if (axes is null) return false;
        var set = (axes.Length == 0 ? [0, 1, 2, 3] : axes.Select(v => v < 0 ? v + 4 : v)).Order().ToArray();
        var (n, c, h, w) = (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        var scale = node.OpType == "ReduceMean" ? 1.0 / set.Aggregate(1L, (p, k) => p * x.Shape[(int)k]) : 1.0;
        Value rows, ones;
        if (set.SequenceEqual([0L, 2, 3]))
        {
            rows = View(x, [n * h * w, c]);
            ones = Ones(n * h * w, scale);
        }
        else if (set.SequenceEqual([2L, 3]))
        {
            rows = View(x, [n, h * w, c]);
            ones = Ones(h * w, scale);
        }
        else
        {
            return false;
        }
        if (node.OpType == "ReduceSumSquare")
        {
            var squares = NewValue(x.Type, rows.Shape.ToArray(), node.Name + ".square");
            Emit(NewNode("Mul", node.Name + ".square", [rows, rows], [squares], new Dictionary<string, object>()));
            rows = squares;
        }
        var reducedShape = rows.Rank == 2 ? new long[] { 1, c } : [n, 1, c];
        var result = NewValue(output.Type, reducedShape, output.Name + ".nhwc");
        Emit(NewNode("MatMul", node.Name + ".nhwc", [ones, rows], [result], new Dictionary<string, object>()));
        SetTwin(output, result);
        return true;
    }

    /// <summary>BatchNormalization over channel axis 1 of a 4-D input is the same op on the [N*H*W, C] rows.</summary>
    private bool TryBatchNorm(Node node)
    {
        var x = Resolve(node.Inputs[0]!);
        if (x.Rank != 4 || !x.Shape.IsStatic || !_twin.ContainsKey(x) || node.Outputs.Count != 1) return false;
        var rows = View(x, [x.Shape[0] * x.Shape[2] * x.Shape[3], x.Shape[1]]);
        var result = NewValue(x.Type, rows.Shape.ToArray(), node.Outputs[0].Name + ".nhwc");
        var inputs = new List<Value?> { rows };
        inputs.AddRange(node.Inputs.Skip(1).Select(i => i is null ? null : Demand(i)));
        Emit(NewNode(node.OpType, node.Name + ".nhwc", inputs, [result], node.Attributes));
        SetTwin(node.Outputs[0], result);
        return true;
    }

    private static Kind Classify(Shape s, Shape act)
    {
        if (s.All(d => d == 1)) return Kind.Single;
        if (s.Rank != 4) return Kind.Other;
        if (s.Equals(act)) return Kind.Full;
        if (s[1] != act[1] || s[2] != 1 || s[3] != 1) return Kind.Other;
        if (s[0] == 1) return Kind.PerChannel;
        return s[0] == act[0] ? Kind.PerSampleChannel : Kind.Other;
    }

    private static long[] ViewShape(Kind kind, Shape act, bool threeD)
    {
        var (n, c, hw) = (act[0], act[1], act[2] * act[3]);
        return kind switch
        {
            Kind.Full => threeD ? [n, hw, c] : [n * hw, c],
            Kind.PerChannel => threeD ? [1, 1, c] : [1, c],
            Kind.PerSampleChannel => [n, 1, c],
            _ => [1],
        };
    }

    /// <summary>
    /// <paramref name="v"/> in NHWC element order with the given shape: a reshape of its twin, or,
    /// without a twin, of the value itself when the layouts share one element order (small
    /// operands), an Expand of the source's twin, or else a transpose.
    /// </summary>
    private Value View(Value v, long[] shape)
    {
        v = Resolve(v);
        var key = (v, string.Join(",", shape));
        if (_views.TryGetValue(key, out var view)) return view;
        if (!_twin.TryGetValue(v, out var twin))
        {
            if (v.Rank != 4 || IsOrderPreserving(v.Shape))
            {
                twin = Demand(v);
            }
            else if (IsRederivable(v))
            {
                // Expand the small source in NHWC instead of transposing the expanded tensor.
                var source = v.Producer!.Inputs[0]!;
                var act = v.Shape;
                var threeD = Classify(source.Shape, act) == Kind.PerSampleChannel;
                var src = View(source, ViewShape(Classify(source.Shape, act), act, threeD));
                twin = NewValue(v.Type, ViewShape(Kind.Full, act, threeD), v.Name + ".nhwc");
                Emit(NewNode("Expand", v.Producer.Name + ".nhwc", [src, Shared(twin.Shape.ToArray())], [twin], new Dictionary<string, object>()));
                _twin[v] = twin;
            }
            else
            {
                twin = NewValue(v.Type, Permute(v.Shape.ToArray(), ToNhwc), v.Name + ".nhwc");
                Emit(NewNode("Transpose", v.Name + ".to_nhwc", [Demand(v)], [twin], new Dictionary<string, object> { ["perm"] = ToNhwc }));
                _twin[v] = twin;
            }
        }
        view = twin.Shape.SequenceEqual(shape) ? twin : Reshape(twin, shape);
        _views[key] = view;
        return view;
    }

    /// <summary>The NCHW value itself, made from its twin the first time something needs it.</summary>
    private Value Demand(Value v)
    {
        v = Resolve(v);
        if (!_deferred.Remove(v)) return v;
        var twin = _twin[v];
        if (IsOrderPreserving(v.Shape))
        {
            Emit(NewNode("Reshape", v.Name + ".from_nhwc", [twin, Shared(v.Shape.ToArray())], [v], new Dictionary<string, object>()));
        }
        else
        {
            var shape = Permute(v.Shape.ToArray(), ToNhwc);
            var nhwc = twin.Shape.SequenceEqual(shape) ? twin : Reshape(twin, shape);
            Emit(NewNode("Transpose", v.Name + ".from_nhwc", [nhwc], [v], new Dictionary<string, object> { ["perm"] = ToNchw }));
        }
        return v;
    }

    private void SetTwin(Value v, Value twin)
    {
        _twin[v] = twin;
        _deferred.Add(v);
    }

    private Value Resolve(Value v) => _alias.TryGetValue(v, out var a) ? a : v;

    /// <summary>An Expand (written in NCHW) of a per-channel, per-sample or single value.</summary>
    private static bool IsRederivable(Value v)
        => v.Producer is { OpType: "Expand", Domain: "" } p && v.Rank == 4 && p.Inputs[0] is { } src
            && Classify(src.Shape, v.Shape) is Kind.PerChannel or Kind.PerSampleChannel or Kind.Single;

    /// <summary>True when at most one of C, H, W exceeds 1, so that NCHW and NHWC order agree.</summary>
    private static bool IsOrderPreserving(Shape s) => s.Rank == 4 && new[] { s[1], s[2], s[3] }.Count(d => d != 1) <= 1;

    private static bool IsBoundary(Node node, long[] perm) => node.IsLayoutBoundary && node.Ints("perm", []).AsSpan().SequenceEqual(perm);

    private static long[] Permute(long[] dims, long[] perm) => perm.Select(p => dims[p]).ToArray();

    private Value Reshape(Value v, long[] shape)
    {
        var result = NewValue(v.Type, shape, v.Name + ".view");
        Emit(NewNode("Reshape", v.Name + ".view", [v, Shared(shape)], [result], new Dictionary<string, object>()));
        return result;
    }

    /// <summary>A row [1, n] filled with <paramref name="scale"/> (a sum, or a mean when 1/n).</summary>
    private Value Ones(long n, double scale) => Shared(TensorData.Of(Enumerable.Repeat((float)scale, (int)n).ToArray(), 1, n), $"ones {n} {scale:R}");

    private Value Shared(long[] shape) => Shared(TensorData.Of(shape, shape.Length), "shape " + string.Join(",", shape));

    private Value Shared(TensorData data, string key)
    {
        if (!_shared.TryGetValue(key, out var v))
        {
            v = new Value(_g, _g.Names.Unique("layout_const"), data.Type, data.Shape, null, ValueKind.Initializer);
            _constants.Add((v, data));
            _shared[key] = v;
        }
        return v;
    }

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

    private Node NewNode(string op, string name, IReadOnlyList<Value?> inputs, IReadOnlyList<Value> outputs, IReadOnlyDictionary<string, object> attributes)
        => new(op, _g.Names.Unique(name), inputs, attributes, "") { Outputs = outputs };
}
