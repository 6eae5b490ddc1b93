using UlcAg.Graph;
using UlcAg.Network.Layers;
using UlcAg.Network.Weights;

namespace UlcAg.Network.Models;

/// <summary>
/// ResNet-18 in torchvision's topology and parameter names (conv1, bn1, layer1.0.conv1, ...,
/// layer2.0.downsample.0, fc): basic blocks, then the backbone, then the classifier head.
/// </summary>
public static class ResNet18
{
    /// <summary>The stem's convolution, the first layer: 7x7/2, 3 input channels, no bias.</summary>
    public const string StemConv = "conv1";

    /// <summary>
    /// A basic block: conv3x3-bn-relu-conv3x3-bn, plus the identity or a 1x1 projection
    /// (conv-bn) when the stride or width changes, then relu.
    /// </summary>
    public static Value BasicBlock(ModelContext m, Value x, string name, int channels, int stride, string group)
    {
        var h = m.G.Relu(m.BatchNorm(m.Conv2d(x, $"{name}.conv1", channels, 3, stride, 1, group), $"{name}.bn1", group));
        h = m.BatchNorm(m.Conv2d(h, $"{name}.conv2", channels, 3, 1, 1, group), $"{name}.bn2", group);
        var shortcut = stride != 1 || x.Shape[1] != channels
            ? m.BatchNorm(m.Conv2d(x, $"{name}.downsample.0", channels, 1, stride, 0, group), $"{name}.downsample.1", group)
            : x;
        return m.G.Relu(h + shortcut);
    }

    /// <summary>
    /// The backbone: stem, four stages, global average pooling; returns the 512-d feature f [N, 512].
    /// <paramref name="blocks"/> gives the basic blocks per stage (ResNet-18: 2, 2, 2, 2; the
    /// packaged ImageNet model has 2, 2, 2, 3); <paramref name="width"/> the channels of the stem and
    /// layer1 (64 in ResNet-18; each stage doubles it; narrow widths serve tests).
    /// </summary>
    public static Value ForwardFeatures(ModelContext m, Value x, string group = "backbone", IReadOnlyList<int>? blocks = null, int width = 64)
    {
        blocks ??= ResNetLayout.ResNet18Blocks;
        var g = m.G;
        Value h;
        using (g.Scope("stem"))
        {
            // torchvision pools after the ReLU; pooling first gives the same values (ReLU is
            // monotone, so the maximum of the ReLUs is the ReLU of the maximum) and the same
            // gradients (a window whose maximum is <= 0 passes none either way), with the ReLU
            // and its backward mask on a quarter of the values.
            h = m.BatchNorm(m.Conv2d(x, StemConv, width, 7, 2, 3, group), "bn1", group);
            h = g.Relu(g.MaxPool(h, 3, 2, 1, withIndices: m.Training));
        }
        for (var stage = 0; stage < ResNetLayout.StageChannels.Count; stage++)
        {
            for (var block = 0; block < blocks[stage]; block++)
            {
                var name = ResNetLayout.BlockName(stage, block);
                using (g.Scope(name))
                {
                    h = BasicBlock(m, h, name, width << stage, ResNetLayout.BlockStride(stage, block), group);
                }
            }
        }
        return g.Flatten(g.GlobalAveragePool(h));
    }

    /// <summary>torchvision's classifier head: fc [classes, 512] with bias.</summary>
    public static Value ForwardHead(ModelContext m, Value features, int classes, string group = "head")
        => m.Linear(features, "fc", classes, group);
}
