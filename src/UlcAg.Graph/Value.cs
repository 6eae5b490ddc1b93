namespace UlcAg.Graph;

/// <summary>
/// A typed symbolic tensor in a graph under construction: element type, static shape, the node
/// that produces it (null for graph inputs and initializers) and a unique name.
/// Arithmetic operators record nodes in the value's own <see cref="GraphBuilder"/>.
/// </summary>
public sealed class Value
{
    internal Value(GraphBuilder graph, string name, DType type, Shape shape, Node? producer, ValueKind kind)
    {
        Graph = graph;
        Name = name;
        Type = type;
        Shape = shape;
        Producer = producer;
        Kind = kind;
    }

    public GraphBuilder Graph { get; }
    public string Name { get; internal set; }
    public DType Type { get; }
    public Shape Shape { get; }
    public Node? Producer { get; }
    public ValueKind Kind { get; }
    public int Rank => Shape.Rank;

    /// <summary>True when the name was chosen by the user (inputs, outputs) and must not change.</summary>
    internal bool NameIsFixed { get; set; }

    public static Value operator +(Value a, Value b) => a.Graph.Add(a, b);
    public static Value operator -(Value a, Value b) => a.Graph.Sub(a, b);
    public static Value operator *(Value a, Value b) => a.Graph.Mul(a, b);
    public static Value operator /(Value a, Value b) => a.Graph.Div(a, b);
    public static Value operator -(Value a) => a.Graph.Neg(a);
    public static Value operator +(Value a, double b) => a.Graph.Add(a, a.Graph.Scalar(b, a.Type));
    public static Value operator -(Value a, double b) => a.Graph.Sub(a, a.Graph.Scalar(b, a.Type));
    public static Value operator *(Value a, double b) => a.Graph.Mul(a, a.Graph.Scalar(b, a.Type));
    public static Value operator /(Value a, double b) => a.Graph.Div(a, a.Graph.Scalar(b, a.Type));
    public static Value operator *(double a, Value b) => b.Graph.Mul(b.Graph.Scalar(a, b.Type), b);
    public static Value operator +(double a, Value b) => b.Graph.Add(b.Graph.Scalar(a, b.Type), b);
    public static Value operator -(double a, Value b) => b.Graph.Sub(b.Graph.Scalar(a, b.Type), b);

    public override string ToString() => $"{Name}: {Type}{Shape}";
}

/// <summary>How a value enters the graph.</summary>
public enum ValueKind
{
    /// <summary>Computed by a node.</summary>
    Intermediate,
    /// <summary>Fed at run time.</summary>
    Input,
    /// <summary>Stored in the model (weights, constants).</summary>
    Initializer,
}
