using Onnx;

namespace UlcAg.Network.Weights.Onnx;

/// <summary>
/// Maps the weights of a basic-block ResNet ONNX graph (such as the CNTK ResNet-18 export shipped
/// in Microsoft.ML.DnnImageFeaturizer.ResNet18) to torchvision names by walking the graph's
/// structure, never by initializer order or name.
/// </summary>
/// <remarks>
/// The walk starts at the graph input and follows data flow:
/// <code>
///   input -> Conv -> BN -> Relu -> MaxPool                                      (conv1, bn1)
///   x -> Conv -> BN -> Relu -> Conv -> BN -> Add -> Relu -> next x               (convN/bnN)
///   x ------------------------------------/                 identity shortcut, or
///   x -> Conv(1x1) -> BN ----------------/                  projection (downsample.0/.1)
///   ... blocks of layer1..layer4 ... -> AveragePool/GlobalAveragePool -> features
/// </code>
/// Each block's branches are told apart by where they lead (a BN feeding a Relu is on the main
/// path, a BN feeding the Add is the shortcut). A block with a projection shortcut starts a new
/// stage, so the blocks per stage are found, not assumed: 2, 2, 2, 2 for torchvision's ResNet-18,
/// 2, 2, 2, 3 for the packaged CNTK model. Every kernel size, stride, padding, group, dilation
/// and tensor shape is checked against the torchvision layout.
/// </remarks>
public static class ResNetOnnxImporter
{
    /// <summary>Parses the ONNX file and maps its weights.</summary>
    /// <exception cref="WeightsException">The file is missing or unreadable, or its graph is not a basic-block ResNet.</exception>
    public static ImportedBackbone Import(string path) =>
        Import(OnnxModelFile.Load(path), $"ONNX model '{path}'");

    /// <summary>Maps the weights of a parsed model; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="WeightsException">The graph is not a basic-block ResNet of the expected structure and shapes.</exception>
    public static ImportedBackbone Import(ModelProto model, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new Walker(model, source).Run();
    }

    private sealed class Walker
    {
        private readonly ModelProto _model;
        private readonly string _source;
        private readonly Dictionary<string, TensorProto> _initializers;
        private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
        private readonly TensorMap _weights = new();
        private readonly List<ConvMapping> _convolutions = [];
        private readonly List<BatchNormMapping> _batchNorms = [];
        private readonly HashSet<NodeProto> _mapped = new(ReferenceEqualityComparer.Instance);
        private string _where = "stem";

        public Walker(ModelProto model, string source)
        {
            _model = model;
            _source = source;
            _initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
            foreach (var node in model.Graph.Node)
            {
                foreach (var input in node.Input.Where(i => i.Length > 0))
                {
                    if (!_consumers.TryGetValue(input, out var list))
                    {
                        _consumers[input] = list = [];
                    }

                    list.Add(node);
                }
            }
        }

        public ImportedBackbone Run()
        {
            var inputs = _model.Graph.Input.Where(i => !_initializers.ContainsKey(i.Name)).ToList();
            if (inputs.Count != 1)
            {
                throw Error($"expected one image input, found {inputs.Count} ({string.Join(", ", inputs.Select(i => i.Name))})");
            }

            var input = inputs[0].Name;

            // Stem: conv1 (7x7/2, pad 3) -> bn1 -> relu -> maxpool (3x3/2, pad 1).
            var stemConv = Single(input, "Conv");
            var x = MapConv(stemConv, "conv1", 3, 64, kernel: 7, stride: 2, torchPadding: 3);
            x = MapBatchNorm(Single(x, "BatchNormalization"), "bn1", 64);
            x = Single(x, "Relu").Output[0];
            var pool = Single(x, "MaxPool");
            CheckPool(pool, kernel: 3, stride: 2, torchPadding: 1);
            x = pool.Output[0];

            // Stages are found from the structure: a block with a projection shortcut starts the
            // next stage, and the stage's identity blocks follow until the next projection or the
            // pooling head. The count per stage is recorded, not assumed.
            var blocks = new int[ResNetLayout.StageChannels.Count];
            var stage = 0;
            var channelsIn = 64;
            while (!IsHead(x))
            {
                var projection = Consumers(x).Count(n => n.OpType == "Conv") == 2;
                if (projection && blocks[stage] > 0)
                {
                    stage++;
                    if (stage == blocks.Length)
                    {
                        throw Error($"'{x}' starts a fifth stage; the layout has four");
                    }
                }

                var channels = ResNetLayout.StageChannels[stage];
                x = MapBlock(x, stage, blocks[stage], channelsIn, channels);
                blocks[stage]++;
                channelsIn = channels;
            }

            _where = "head";
            if (blocks.Any(b => b == 0))
            {
                throw Error($"found blocks {string.Join(", ", blocks)} per stage; every one of the four stages needs at least one");
            }

            var head = Single(x, "AveragePool", "GlobalAveragePool");
            var feature = head.Output[0];
            CheckAllMapped();
            CheckShapes(blocks);
            var producer = $"{_model.ProducerName} {_model.ProducerVersion}".Trim();
            return new ImportedBackbone(_weights, blocks, _convolutions, _batchNorms, input, feature, producer);
        }

        private bool IsHead(string x)
        {
            var consumers = Consumers(x);
            return consumers.Count == 1 && consumers[0].OpType is "AveragePool" or "GlobalAveragePool";
        }

        // One BasicBlock; returns the block output (after the final Relu).
        private string MapBlock(string x, int stage, int block, int channelsIn, int channels)
        {
            var prefix = ResNetLayout.BlockName(stage, block);
            _where = prefix;
            var stride = ResNetLayout.BlockStride(stage, block);
            NodeProto? mainConv = null;
            NodeProto? shortcutConv = null;
            NodeProto? identityAdd = null;
            foreach (var consumer in Consumers(x))
            {
                switch (consumer.OpType)
                {
                    case "Conv":
                        // The conv whose batch norm feeds a Relu starts the main path; the one whose
                        // batch norm feeds the Add is the projection shortcut.
                        var next = Single(Single(consumer.Output[0], "BatchNormalization").Output[0], "Relu", "Add");
                        if (next.OpType == "Relu")
                        {
                            mainConv = mainConv is null ? consumer : throw Error($"block {prefix}: '{x}' feeds two main-path convolutions");
                        }
                        else
                        {
                            shortcutConv = shortcutConv is null ? consumer : throw Error($"block {prefix}: '{x}' feeds two shortcut convolutions");
                        }

                        break;
                    case "Add" or "Sum":
                        identityAdd = consumer;
                        break;
                    default:
                        throw Error($"block {prefix}: '{x}' feeds an unexpected {consumer.OpType} node '{consumer.Name}'");
                }
            }

            if (mainConv is null)
            {
                throw Error($"block {prefix}: no convolution reads the block input '{x}'");
            }

            var expectDownsample = ResNetLayout.HasDownsample(stage, block);
            if (expectDownsample != (shortcutConv is not null) || (shortcutConv is not null) == (identityAdd is not null))
            {
                throw Error($"block {prefix}: expected {(expectDownsample ? "a projection" : "an identity")} shortcut from '{x}'");
            }

            var y = MapConv(mainConv, $"{prefix}.conv1", channelsIn, channels, kernel: 3, stride: stride, torchPadding: 1);
            y = MapBatchNorm(Single(y, "BatchNormalization"), $"{prefix}.bn1", channels);
            y = Single(y, "Relu").Output[0];
            y = MapConv(Single(y, "Conv"), $"{prefix}.conv2", channels, channels, kernel: 3, stride: 1, torchPadding: 1);
            y = MapBatchNorm(Single(y, "BatchNormalization"), $"{prefix}.bn2", channels);
            var add = Single(y, "Add", "Sum");

            var shortcut = x;
            if (shortcutConv is not null)
            {
                shortcut = MapConv(shortcutConv, $"{prefix}.downsample.0", channelsIn, channels, kernel: 1, stride: stride, torchPadding: 0);
                shortcut = MapBatchNorm(Single(shortcut, "BatchNormalization"), $"{prefix}.downsample.1", channels);
            }
            else if (!ReferenceEquals(add, identityAdd))
            {
                throw Error($"block {prefix}: the identity shortcut from '{x}' joins a different Add than the main path");
            }

            var addInputs = add.Input.ToHashSet(StringComparer.Ordinal);
            if (add.Input.Count != 2 || !addInputs.Contains(y) || !addInputs.Contains(shortcut))
            {
                throw Error($"block {prefix}: Add '{add.Name}' should sum '{y}' and '{shortcut}', it reads {string.Join(", ", add.Input)}");
            }

            return Single(add.Output[0], "Relu").Output[0];
        }

        private string MapConv(NodeProto node, string name, int channelsIn, int channelsOut, int kernel, int stride, int torchPadding)
        {
            if (node.Input.Count != 2)
            {
                throw Error($"{name}: Conv '{node.Name}' has {node.Input.Count} inputs; torchvision convolutions have no bias");
            }

            CheckDefault(node, "group", 1, name);
            CheckDefault(node, "dilations", 1, name);
            CheckAutoPad(node, name);
            var weight = Initializer(node.Input[1], name);
            var kernelShape = Ints(node, "kernel_shape") ?? [.. weight.Shape.Skip(2)];
            var strides = Ints(node, "strides") ?? [1, 1];
            var pads = Ints(node, "pads") ?? [0, 0, 0, 0];
            if (kernelShape.Any(k => k != kernel) || strides.Any(s => s != stride))
            {
                throw Error($"{name}: Conv '{node.Name}' has kernel {HostTensor.FormatShape(kernelShape)} and strides {HostTensor.FormatShape(strides)}, expected {kernel}x{kernel} with stride {stride}");
            }

            CheckPads(node, name, pads, torchPadding);
            Expect(weight, [channelsOut, channelsIn, kernel, kernel], node.Input[1], name);
            _weights.Add($"{name}.weight", weight);
            _mapped.Add(node);
            _convolutions.Add(new ConvMapping(name, node.Name, node.Input[1], kernelShape, strides, pads, torchPadding));
            return node.Output[0];
        }

        private string MapBatchNorm(NodeProto node, string name, int channels)
        {
            if (node.Input.Count != 5)
            {
                throw Error($"{name}: BatchNormalization '{node.Name}' has {node.Input.Count} inputs, expected X, scale, B, mean, var");
            }

            var spatial = Attribute(node, "spatial")?.I ?? 1;
            if (spatial != 1)
            {
                throw Error($"{name}: BatchNormalization '{node.Name}' has spatial={spatial}; only per-channel (spatial=1) batch norm maps to PyTorch");
            }

            // ONNX inputs 1..4 are scale, B, mean, var: PyTorch's weight, bias, running_mean, running_var.
            var initializers = node.Input.Skip(1).ToArray();
            for (var i = 0; i < initializers.Length; i++)
            {
                var tensor = Initializer(initializers[i], name);
                Expect(tensor, [channels], initializers[i], name);
                _weights.Add($"{name}.{ResNetLayout.BatchNormFields[i]}", tensor);
            }

            _mapped.Add(node);
            var epsilon = Attribute(node, "epsilon")?.F ?? 1e-5f;
            var momentum = Attribute(node, "momentum")?.F ?? 0.9f;
            _batchNorms.Add(new BatchNormMapping(name, node.Name, epsilon, momentum, spatial, initializers));
            return node.Output[0];
        }

        private void CheckPool(NodeProto node, int kernel, int stride, int torchPadding)
        {
            CheckAutoPad(node, "maxpool");
            var kernelShape = Ints(node, "kernel_shape") ?? [];
            var strides = Ints(node, "strides") ?? [1, 1];
            if (kernelShape.Any(k => k != kernel) || kernelShape.Length != 2 || strides.Any(s => s != stride))
            {
                throw Error($"maxpool: MaxPool '{node.Name}' has kernel {HostTensor.FormatShape(kernelShape)} and strides {HostTensor.FormatShape(strides)}, expected {kernel}x{kernel} with stride {stride}");
            }

            CheckPads(node, "maxpool", Ints(node, "pads") ?? [0, 0, 0, 0], torchPadding);
        }

        // ONNX pads are [top, left, bottom, right]. The leading pads fix where every window starts,
        // so they must equal torchvision's; smaller trailing pads (CNTK's "same" padding for its
        // fixed 224x224 input) only decide how many windows fit. When the window count matches
        // symmetric padding, every window reads the same pixels and zeros. It matches when
        // (size + 2*pad - kernel) mod stride is at least the missing trailing padding: at every
        // layer for inputs that are multiples of 32, such as 224x224.
        private void CheckPads(NodeProto node, string name, long[] pads, int torchPadding)
        {
            if (pads.Length != 4 || pads[0] != torchPadding || pads[1] != torchPadding
                || pads[2] < 0 || pads[2] > torchPadding || pads[3] < 0 || pads[3] > torchPadding)
            {
                throw Error($"{name}: {node.OpType} '{node.Name}' has pads {HostTensor.FormatShape(pads)}; expected [{torchPadding}, {torchPadding}, e, e] with 0 <= e <= {torchPadding} to match torchvision's padding {torchPadding}");
            }
        }

        private void CheckAutoPad(NodeProto node, string name)
        {
            var autoPad = Attribute(node, "auto_pad")?.S.ToStringUtf8() ?? "NOTSET";
            if (autoPad is not ("NOTSET" or ""))
            {
                throw Error($"{name}: {node.OpType} '{node.Name}' uses auto_pad={autoPad}; explicit pads are required");
            }
        }

        private void CheckDefault(NodeProto node, string attribute, long expected, string name)
        {
            var value = Attribute(node, attribute);
            var values = value is null ? [] : value.Ints.Count > 0 ? value.Ints.ToArray() : [value.I];
            if (values.Any(v => v != expected))
            {
                throw Error($"{name}: {node.OpType} '{node.Name}' has {attribute}={HostTensor.FormatShape(values)}, expected {expected}");
            }
        }

        private void CheckAllMapped()
        {
            var left = _model.Graph.Node.Where(n => n.OpType is "Conv" or "BatchNormalization" && !_mapped.Contains(n)).ToList();
            if (left.Count > 0)
            {
                throw Error($"nodes outside the ResNet-18 backbone structure: {string.Join(", ", left.Select(n => $"{n.OpType} '{n.Name}'"))}");
            }
        }

        private void CheckShapes(int[] blocks)
        {
            var expected = ResNetLayout.Backbone(blocks);
            var names = _weights.Names.ToList();
            if (names.Count != expected.Count || !names.SequenceEqual(expected.Select(s => s.Name)))
            {
                throw Error($"mapped {names.Count} tensors, expected the {expected.Count} backbone tensors of blocks {string.Join(", ", blocks)} in order");
            }

            foreach (var spec in expected)
            {
                Expect(_weights[spec.Name], spec.Shape, spec.Name, spec.Name);
            }
        }

        private void Expect(HostTensor tensor, long[] shape, string initializer, string name)
        {
            if (!tensor.HasShape(shape))
            {
                throw Error($"{name}: initializer '{initializer}' has shape {HostTensor.FormatShape(tensor.Shape)}, expected {HostTensor.FormatShape(shape)}");
            }
        }

        private HostTensor Initializer(string name, string mappedTo) =>
            _initializers.TryGetValue(name, out var tensor)
                ? OnnxTensorReader.ToHostTensor(tensor, _source)
                : throw Error($"{mappedTo}: '{name}' is computed by the graph, expected a stored initializer");

        private List<NodeProto> Consumers(string value) =>
            _consumers.TryGetValue(value, out var list) ? list : [];

        private NodeProto Single(string value, params string[] opTypes)
        {
            var consumers = Consumers(value);
            if (consumers.Count != 1 || !opTypes.Contains(consumers[0].OpType))
            {
                var found = consumers.Count == 0 ? "nothing" : string.Join(", ", consumers.Select(n => $"{n.OpType} '{n.Name}'"));
                throw Error($"'{value}' should feed exactly one {string.Join(" or ", opTypes)} node, it feeds {found}");
            }

            return consumers[0];
        }

        private static AttributeProto? Attribute(NodeProto node, string name) =>
            node.Attribute.FirstOrDefault(a => a.Name == name);

        private static long[]? Ints(NodeProto node, string name) =>
            Attribute(node, name) is { } attribute ? attribute.Ints.ToArray() : null;

        private WeightsException Error(string message) =>
            new($"{_source} is not a torchvision-compatible basic-block ResNet: in {_where}: {message}.");
    }
}
