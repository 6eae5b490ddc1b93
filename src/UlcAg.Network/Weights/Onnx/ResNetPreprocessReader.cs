using Onnx;

namespace UlcAg.Network.Weights.Onnx;

/// <summary>
/// Reads the input convention from the preprocessing model that ships with the CNTK ResNet-18
/// (ResNetPreprocess.onnx), whose graph is
/// <c>input -> Split(axis 1) -> Concat(axis 1, channels reordered) -> Sub(mean image)</c>.
/// </summary>
public static class ResNetPreprocessReader
{
    /// <summary>Parses the preprocessing ONNX file.</summary>
    /// <exception cref="WeightsException">The file is missing or its graph is not a channel reorder followed by a mean subtraction.</exception>
    public static ImageInputConvention Read(string path) =>
        Read(OnnxModelFile.Load(path), $"ONNX model '{path}'");

    /// <summary>Reads the convention from a parsed preprocessing model; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="WeightsException">The graph does not have the expected form.</exception>
    public static ImageInputConvention Read(ModelProto model, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        WeightsException Error(string message) => new($"{source} is not the expected ResNet preprocessing graph: {message}.");
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var input = graph.Input.SingleOrDefault(i => !initializers.ContainsKey(i.Name))
            ?? throw Error("expected exactly one image input");

        var nodes = graph.Node.ToList();
        var split = nodes.SingleOrDefault(n => n.OpType == "Split" && n.Input.Count > 0 && n.Input[0] == input.Name)
            ?? throw Error($"no Split node reads the input '{input.Name}'");
        var concat = nodes.SingleOrDefault(n => n.OpType == "Concat" && n.Input.Count == 3 && n.Input.All(split.Output.Contains))
            ?? throw Error("no Concat node joins the three Split outputs");
        var sub = nodes.SingleOrDefault(n => n.OpType == "Sub" && n.Input.Count == 2 && n.Input[0] == concat.Output[0])
            ?? throw Error("no Sub node subtracts a mean from the reordered channels");
        if (split.Output.Count != 3 || AxisOf(split) != 1 || AxisOf(concat) != 1)
        {
            throw Error("the Split and Concat must work on axis 1 (channels) with three single-channel parts");
        }

        if (!initializers.TryGetValue(sub.Input[1], out var meanProto))
        {
            throw Error($"the mean '{sub.Input[1]}' is not a stored initializer");
        }

        // Split outputs are the input's channels in order; the node names them by color
        // (RInp, GInp, BInp). The Concat order then gives the backbone's channel order.
        var sourceOrder = string.Concat(split.Output.Select(o => ColorOf(o, Error)));
        var channelOrder = string.Concat(concat.Input.Select(o => ColorOf(o, Error)));
        if (sourceOrder.Distinct().Count() != 3 || channelOrder.Distinct().Count() != 3)
        {
            throw Error($"channel names give source order '{sourceOrder}' and backbone order '{channelOrder}'");
        }

        var mean = OnnxTensorReader.ToHostTensor(meanProto, source);
        if (mean.Shape.Length != 4 || mean.Shape[0] != 1 || mean.Shape[1] != 3)
        {
            throw Error($"the mean image has shape {HostTensor.FormatShape(mean.Shape)}, expected [1, 3, H, W]");
        }

        var image = new HostTensor([3, mean.Shape[2], mean.Shape[3]], mean.Data);
        return new ImageInputConvention(channelOrder, sourceOrder, image);
    }

    private static long AxisOf(NodeProto node) => node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 0;

    private static char ColorOf(string valueName, Func<string, WeightsException> error) =>
        valueName.Length > 0 && valueName[0] is 'R' or 'G' or 'B'
            ? valueName[0]
            : throw error($"channel value '{valueName}' does not name its color (R, G or B)");
}
