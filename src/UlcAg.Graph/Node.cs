namespace UlcAg.Graph;

/// <summary>One recorded ONNX operator application.</summary>
public sealed class Node
{
    internal Node(string opType, string name, IReadOnlyList<Value?> inputs, IReadOnlyDictionary<string, object> attributes, string domain)
    {
        OpType = opType;
        Name = name;
        Inputs = inputs;
        Attributes = attributes;
        Domain = domain;
    }

    public string OpType { get; }
    public string Name { get; }
    public string Domain { get; }

    /// <summary>Inputs in ONNX order; null marks an omitted optional input.</summary>
    public IReadOnlyList<Value?> Inputs { get; }
    public IReadOnlyList<Value> Outputs { get; internal set; } = [];

    /// <summary>Attribute values: long, double, string, long[], double[] or <see cref="TensorData"/>.</summary>
    public IReadOnlyDictionary<string, object> Attributes { get; }

    /// <summary>
    /// For a composite (see <see cref="GraphBuilder.Composite"/>): the primitive nodes that compute
    /// it, in graph order. Empty for a primitive node.
    /// </summary>
    public IReadOnlyList<Node> Members { get; internal set; } = [];

    /// <summary>The composite this primitive node belongs to, or null.</summary>
    public Node? Composite { get; internal set; }

    /// <summary>True for a composite: a node seen by autodiff only, never written to ONNX.</summary>
    public bool IsComposite => Members.Count > 0;

    /// <summary>
    /// Set on the NCHW/NHWC transposes of activations that lowered convolutions emit; the export's
    /// layout pass moves the ops between such transposes to NHWC.
    /// </summary>
    internal bool IsLayoutBoundary { get; set; }

    /// <summary>Set on nodes that block gradient flow (stop-gradient).</summary>
    public bool StopsGradient { get; internal init; }

    public long Int(string name, long fallback) => Attributes.TryGetValue(name, out var v) ? (long)v : fallback;
    public double Float(string name, double fallback) => Attributes.TryGetValue(name, out var v) ? (double)v : fallback;
    public long[] Ints(string name, long[] fallback) => Attributes.TryGetValue(name, out var v) ? (long[])v : fallback;

    public override string ToString() => $"{OpType} '{Name}'";
}
