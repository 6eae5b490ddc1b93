namespace UlcAg.Graph;

/// <summary>
/// The lowest default-domain opset under which every node of a graph means what the builder
/// meant, given the attribute/input forms the builder emits (axes as inputs for
/// ReduceSum/Squeeze/Unsqueeze from 13, Softmax over one axis from 13, ScatterElements
/// reduction from 16, ...).
/// </summary>
public static class OpsetRequirements
{
    private static readonly Dictionary<string, int> Minimum_ = new(StringComparer.Ordinal)
    {
        ["Cast"] = 9, ["Transpose"] = 1, ["Mul"] = 7, ["Add"] = 7, ["Sub"] = 7, ["Div"] = 7, ["Neg"] = 6,
        ["Conv"] = 11, ["BatchNormalization"] = 9, ["Relu"] = 6, ["LeakyRelu"] = 6, ["Sigmoid"] = 6,
        ["MaxPool"] = 11, ["GlobalAveragePool"] = 1, ["Flatten"] = 11, ["Gemm"] = 11, ["MatMul"] = 9,
        ["Reshape"] = 5, ["Identity"] = 1, ["Exp"] = 6, ["Log"] = 6, ["Sqrt"] = 6, ["Abs"] = 6,
        ["Slice"] = 11, ["Concat"] = 11, ["Gather"] = 11, ["Where"] = 9, ["Max"] = 8, ["Min"] = 8, ["Sum"] = 8,
        // Softmax/LogSoftmax before 13 flatten to 2-D at `axis`; the builder means one axis.
        ["Softmax"] = 13, ["LogSoftmax"] = 13,
        // axes became an input in 13.
        ["ReduceSum"] = 13, ["Squeeze"] = 13, ["Unsqueeze"] = 13,
        ["ReduceMean"] = 11, ["ReduceMax"] = 11, ["Expand"] = 8, ["Pad"] = 11, ["TopK"] = 11,
        ["GatherElements"] = 11, ["ScatterElements"] = 16, ["Equal"] = 11, ["Greater"] = 9, ["Less"] = 9,
        ["GreaterOrEqual"] = 12, ["Not"] = 1, ["And"] = 7, ["Pow"] = 12, ["Reciprocal"] = 6, ["ConvTranspose"] = 11,
    };

    /// <summary>The lowest opset for the graph's live nodes; at least 11 (the oldest that UlcAg checks).</summary>
    public static int Minimum(GraphBuilder g)
    {
        var opset = 11;
        foreach (var node in g.Nodes)
        {
            // Over the last axis of a 2-D input the old Softmax means the same.
            if (node.OpType is "Softmax" or "LogSoftmax" && node.Inputs[0]!.Rank == 2 && node.Int("axis", -1) == 1) continue;
            if (!Minimum_.TryGetValue(node.OpType, out var v))
                throw new InvalidOperationException($"no opset requirement recorded for op '{node.OpType}'");
            opset = Math.Max(opset, v);
        }
        return opset;
    }
}
