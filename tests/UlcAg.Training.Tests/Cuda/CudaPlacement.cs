using Onnx;

namespace UlcAg.Training.Tests.Cuda;

/// <summary>
/// Which nodes of a model ONNX Runtime's CUDA execution provider would leave to the CPU, decided
/// the way the provider decides (onnxruntime/core/providers/cuda/cuda_execution_provider.cc,
/// GetCapability, and core/framework/fallback_cpu_capability.cc, GetCpuPreferredNodes):
/// <list type="number">
/// <item>no CUDA kernel is registered for the node's op, domain, opset and element types;</item>
/// <item>the provider rejects the node's attributes: ConvTranspose with asymmetric pads or
/// auto_pad SAME_*, which cuDNN cannot do; Cast to string;</item>
/// <item>shape computations: a node whose every input is already in host memory (the output of a
/// kernel that writes host memory, such as Shape or Size, or of a node left to the CPU), a graph
/// input or an initializer of at most 100 elements is moved to the CPU on purpose, so that a
/// small int64 computation does not bounce between the devices.</item>
/// </list>
/// Besides, a node on the GPU that reads an input in host memory (Reshape's shape, Slice's starts,
/// TopK's k, ...) which another GPU node computes forces a device-to-host copy and a stream
/// synchronisation every run: reported as <see cref="FallbackKind.HostRead"/>.
/// </summary>
internal static class CudaPlacement
{
    public enum FallbackKind
    {
        NoKernel,
        RejectedAttributes,
        ShapeComputationOnCpu,
        HostRead,
    }

    /// <summary>A node that would not run on the GPU (or would make the GPU wait for the host), and why.</summary>
    public sealed record Finding(string Node, string Op, FallbackKind Kind, string Reason)
    {
        public override string ToString() => $"{Op} '{Node}': {Kind}: {Reason}";
    }

    private const long SmallInitializerElements = 100;

    public static IReadOnlyList<Finding> Analyze(ModelProto model, CudaKernelTable table)
    {
        var graph = model.Graph;
        var types = ElementTypes(graph);
        var initializerSizes = graph.Initializer.ToDictionary(t => t.Name, t => t.Dims.Aggregate(1L, (a, d) => a * d), StringComparer.Ordinal);
        var graphInputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var nodes = graph.Node;
        var consumers = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < nodes.Count; k++)
        {
            foreach (var input in nodes[k].Input.Where(i => i.Length > 0))
            {
                if (!consumers.TryGetValue(input, out var list)) consumers[input] = list = [];
                list.Add(k);
            }
            foreach (var output in nodes[k].Output.Where(o => o.Length > 0)) producer[output] = k;
        }

        var findings = new List<Finding>();
        var kernels = new CudaKernelTable.Registration?[nodes.Count];
        for (var k = 0; k < nodes.Count; k++)
        {
            var node = nodes[k];
            var domain = node.Domain.Length == 0 ? "ai.onnx" : node.Domain;
            var opset = Opset(model, domain);
            var (kernel, why) = Lookup(table, node, domain, opset, types);
            if (kernel is null)
            {
                findings.Add(new Finding(node.Name, node.OpType, FallbackKind.NoKernel, why));
                continue;
            }
            var rejected = RejectedAttributes(node);
            if (rejected is not null)
            {
                findings.Add(new Finding(node.Name, node.OpType, FallbackKind.RejectedAttributes, rejected));
                continue;
            }
            kernels[k] = kernel;
        }

        // GetCpuPreferredNodes: start from the consumers of host-memory outputs and move every node
        // whose inputs are all in host memory (or small initializers, or graph inputs) to the CPU.
        var hostValues = new HashSet<string>(StringComparer.Ordinal);
        var queue = new SortedSet<int>();
        for (var k = 0; k < nodes.Count; k++)
        {
            if (kernels[k] is not { } kernel) continue;
            foreach (var position in kernel.CpuOutputs.Where(p => p < nodes[k].Output.Count))
            {
                hostValues.Add(nodes[k].Output[position]);
                foreach (var c in consumers.GetValueOrDefault(nodes[k].Output[position], [])) queue.Add(c);
            }
        }
        var visited = new HashSet<int>();
        var onCpu = new HashSet<int>();
        while (queue.Count > 0)
        {
            var k = queue.Min;
            queue.Remove(k);
            if (!visited.Add(k)) continue;
            var node = nodes[k];
            if (kernels[k] is null)
            {
                // Left to the CPU anyway: its outputs are host values.
                foreach (var o in node.Output) hostValues.Add(o);
                foreach (var c in node.Output.SelectMany(o => consumers.GetValueOrDefault(o, []))) queue.Add(c);
                continue;
            }
            var placeOnCpu = true;
            for (var i = 0; i < node.Input.Count && placeOnCpu; i++)
            {
                var input = node.Input[i];
                if (input.Length == 0) continue;
                if ((initializerSizes.TryGetValue(input, out var size) && size <= SmallInitializerElements) || graphInputs.Contains(input)) continue;
                if (!hostValues.Contains(input) || kernels[k]!.CpuInputs.Contains(i)) placeOnCpu = false;
            }
            if (!placeOnCpu) continue;
            onCpu.Add(k);
            findings.Add(new Finding(node.Name, node.OpType, FallbackKind.ShapeComputationOnCpu,
                "every input is in host memory (a shape computation): ONNX Runtime runs it on the CPU on purpose"));
            foreach (var o in node.Output) hostValues.Add(o);
            foreach (var c in node.Output.SelectMany(o => consumers.GetValueOrDefault(o, []))) queue.Add(c);
        }

        // GPU nodes that read a host-memory input computed on the GPU: a copy back and a wait each run.
        for (var k = 0; k < nodes.Count; k++)
        {
            if (kernels[k] is not { } kernel || onCpu.Contains(k)) continue;
            foreach (var position in kernel.CpuInputs.Where(p => p < nodes[k].Input.Count))
            {
                var input = nodes[k].Input[position];
                if (input.Length == 0 || !producer.TryGetValue(input, out var from)) continue;
                if (kernels[from] is not null && !onCpu.Contains(from))
                    findings.Add(new Finding(nodes[k].Name, nodes[k].OpType, FallbackKind.HostRead,
                        $"reads input {position} ('{input}', computed by {nodes[from].OpType} '{nodes[from].Name}' on the GPU) in host memory: a device-to-host copy every run"));
            }
        }
        return findings;
    }

    /// <summary>The registration ONNX Runtime would pick for the node, or null with the reason there is none.</summary>
    private static (CudaKernelTable.Registration?, string) Lookup(CudaKernelTable table, NodeProto node, string domain, int opset, Dictionary<string, string> types)
    {
        var rows = table.For(node.OpType, domain);
        if (rows.Count == 0) return (null, $"no CUDA kernel for {domain}.{node.OpType} at all");
        var row = rows.FirstOrDefault(r => r.Covers(opset));
        if (row is null) return (null, $"no CUDA kernel for {domain}.{node.OpType} at opset {opset} (registered: {string.Join(", ", rows.Select(r => r.Versions))})");
        var bound = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var side = 0; side < 2; side++)
        {
            var names = side == 0 ? node.Input : node.Output;
            for (var i = 0; i < names.Count; i++)
            {
                if (names[i].Length == 0) continue;
                var constraint = row.Constraint(side == 0, i);
                if (constraint is null) continue;
                if (!types.TryGetValue(names[i], out var type))
                    throw new InvalidOperationException($"{node.OpType} '{node.Name}': the model declares no element type for '{names[i]}' (graph.value_info)");
                if (!row.Types[constraint].Contains(type))
                    return (null, $"no CUDA kernel for {domain}.{node.OpType} {row.Versions} with {constraint} = {type} ('{names[i]}'; the kernel takes {string.Join(", ", row.Types[constraint].Order(StringComparer.Ordinal))})");
                if (bound.TryGetValue(constraint, out var other) && other != type)
                    return (null, $"{node.OpType}: {constraint} bound to both {other} and {type}");
                bound[constraint] = type;
            }
        }
        return (row, "");
    }

    private static string? RejectedAttributes(NodeProto node)
    {
        foreach (var a in node.Attribute)
        {
            if (node.OpType == "ConvTranspose" && a.Name == "pads")
            {
                var rank = a.Ints.Count / 2;
                for (var i = 0; i < rank; i++)
                {
                    if (a.Ints[i] != a.Ints[i + rank]) return $"asymmetric pads [{string.Join(", ", a.Ints)}]: cuDNN pads symmetrically, so the CUDA provider leaves the node to the CPU";
                }
            }
            if (node.OpType == "ConvTranspose" && a.Name == "auto_pad" && a.S.ToStringUtf8() is "SAME_UPPER" or "SAME_LOWER")
                return $"auto_pad {a.S.ToStringUtf8()} may pad asymmetrically: the CUDA provider leaves the node to the CPU";
            if (node.OpType == "Cast" && a.Name == "to" && a.I == (long)TensorProto.Types.DataType.String) return "Cast to string has no CUDA kernel";
        }
        return null;
    }

    private static int Opset(ModelProto model, string domain)
    {
        foreach (var o in model.OpsetImport)
        {
            var d = o.Domain.Length == 0 ? "ai.onnx" : o.Domain;
            if (d == domain) return (int)o.Version;
        }
        throw new InvalidOperationException($"the model imports no opset for domain '{domain}'");
    }

    /// <summary>Element type names (as ONNX Runtime's documentation writes them) of every value the graph declares.</summary>
    private static Dictionary<string, string> ElementTypes(GraphProto graph)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in graph.Input.Concat(graph.Output).Concat(graph.ValueInfo)) types[v.Name] = TypeName(v.Type.TensorType.ElemType);
        foreach (var t in graph.Initializer) types[t.Name] = TypeName(t.DataType);
        return types;
    }

    public static string TypeName(int elementType) => (TensorProto.Types.DataType)elementType switch
    {
        TensorProto.Types.DataType.Float => "float",
        TensorProto.Types.DataType.Uint8 => "uint8",
        TensorProto.Types.DataType.Int8 => "int8",
        TensorProto.Types.DataType.Uint16 => "uint16",
        TensorProto.Types.DataType.Int16 => "int16",
        TensorProto.Types.DataType.Int32 => "int32",
        TensorProto.Types.DataType.Int64 => "int64",
        TensorProto.Types.DataType.String => "string",
        TensorProto.Types.DataType.Bool => "bool",
        TensorProto.Types.DataType.Float16 => "float16",
        TensorProto.Types.DataType.Double => "double",
        TensorProto.Types.DataType.Uint32 => "uint32",
        TensorProto.Types.DataType.Uint64 => "uint64",
        TensorProto.Types.DataType.Bfloat16 => "bfloat16",
        var other => throw new ArgumentOutOfRangeException(nameof(elementType), other, "element type not in the kernel table's vocabulary"),
    };
}
