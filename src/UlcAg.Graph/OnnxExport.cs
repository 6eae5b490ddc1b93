using Google.Protobuf;
using Onnx;

namespace UlcAg.Graph;

/// <summary>Options for writing a graph as an ONNX model.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>Default opset: 17 (ScatterElements with reduction='add' needs 16).</summary>
    public int Opset { get; init; } = 17;
    public string ProducerName { get; init; } = "UlcAg";
    public string ProducerVersion { get; init; } = typeof(GraphBuilder).Assembly.GetName().Version?.ToString(3) ?? "0";
    public string DocString { get; init; } = "";
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Drop nodes and initializers that no output depends on.</summary>
    public bool Prune { get; init; } = true;

    /// <summary>
    /// Write the element type and shape of every intermediate value (graph.value_info), as the
    /// builder knows them: the model then describes itself to tools (which kernel a node needs
    /// on a device, viewers), and ONNX Runtime checks the builder's types against its own
    /// inference when it loads the model.
    /// </summary>
    public bool ValueInfo { get; init; } = true;
}

/// <summary>Serializes a <see cref="GraphBuilder"/> to an ONNX ModelProto.</summary>
public static class OnnxExport
{
    public static ModelProto ToModel(this GraphBuilder g, OnnxExportOptions? options = null)
    {
        options ??= new OnnxExportOptions();
        if (g.Outputs.Count == 0) throw new InvalidOperationException($"graph '{g.Name}' has no outputs");
        IReadOnlyList<Node> nodes = options.Prune ? Live(g.Nodes, g.Outputs) : g.Nodes;
        IReadOnlyList<(Value Value, TensorData Data)> added = [];
        if (g.ConvLowering == ConvLowering.NhwcGemm)
        {
            (var relaid, added) = Passes.NhwcLayoutPass.Run(g, nodes);
            nodes = options.Prune ? Live(relaid, g.Outputs) : relaid;
        }
        var used = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        foreach (var n in nodes)
        {
            foreach (var i in n.Inputs)
            {
                if (i is not null) used.Add(i);
            }
        }
        foreach (var o in g.Outputs) used.Add(o);

        var graph = new GraphProto { Name = g.Name };
        foreach (var input in g.Inputs) graph.Input.Add(ValueInfo(input));
        foreach (var (value, data) in g.Initializers.Concat(added))
        {
            if (!options.Prune || used.Contains(value)) graph.Initializer.Add(Tensor(value.Name, data));
        }
        foreach (var node in nodes) graph.Node.Add(NodeProto(node));
        foreach (var output in g.Outputs) graph.Output.Add(ValueInfo(output));
        if (options.ValueInfo)
        {
            var declared = new HashSet<Value>(g.Inputs.Concat(g.Outputs), ReferenceEqualityComparer.Instance);
            foreach (var node in nodes)
            {
                foreach (var v in node.Outputs)
                {
                    if (declared.Add(v)) graph.ValueInfo.Add(ValueInfo(v));
                }
            }
        }

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = options.ProducerName,
            ProducerVersion = options.ProducerVersion,
            DocString = options.DocString,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        foreach (var (key, value) in options.Metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    public static byte[] ToBytes(this GraphBuilder g, OnnxExportOptions? options = null) => g.ToModel(options).ToByteArray();

    /// <summary>Writes the model atomically (temporary file in the same folder, flushed to disk, then renamed over the target).</summary>
    public static void Save(this ModelProto model, string path) => UlcAg.IO.AtomicFile.Write(path, model.WriteTo, durable: true);

    /// <summary>The nodes (in order) that some output depends on.</summary>
    private static List<Node> Live(IReadOnlyList<Node> nodes, IReadOnlyList<Value> outputs)
    {
        var needed = new HashSet<Value>(outputs, ReferenceEqualityComparer.Instance);
        var live = new List<Node>();
        for (var k = nodes.Count - 1; k >= 0; k--)
        {
            var node = nodes[k];
            if (!node.Outputs.Any(needed.Contains)) continue;
            live.Add(node);
            foreach (var i in node.Inputs)
            {
                if (i is not null) needed.Add(i);
            }
        }
        live.Reverse();
        return live;
    }

    private static ValueInfoProto ValueInfo(Value v)
    {
        var shape = new TensorShapeProto();
        foreach (var d in v.Shape)
        {
            shape.Dim.Add(d == Shape.Dynamic ? new TensorShapeProto.Types.Dimension { DimParam = "batch" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto
        {
            Name = v.Name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)v.Type, Shape = shape } },
        };
    }

    internal static TensorProto Tensor(string name, TensorData data)
    {
        var t = new TensorProto { Name = name, DataType = (int)data.Type, RawData = ByteString.CopyFrom(data.ToBytes()) };
        t.Dims.AddRange(data.Shape);
        return t;
    }

    private static NodeProto NodeProto(Node node)
    {
        var p = new NodeProto { OpType = node.OpType, Name = node.Name, Domain = node.Domain };
        // An omitted optional input is written as the empty name.
        foreach (var i in node.Inputs) p.Input.Add(i?.Name ?? "");
        foreach (var o in node.Outputs) p.Output.Add(o.Name);
        foreach (var (name, value) in node.Attributes) p.Attribute.Add(Attribute(name, value));
        return p;
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case double d: a.Type = AttributeProto.Types.AttributeType.Float; a.F = (float)d; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case long[] ls: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ls); break;
            case double[] ds: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(ds.Select(x => (float)x)); break;
            case TensorData t: a.Type = AttributeProto.Types.AttributeType.Tensor; a.T = Tensor("", t); break;
            default: throw new ArgumentException($"attribute '{name}' has unsupported type {value.GetType().Name}");
        }
        return a;
    }
}
