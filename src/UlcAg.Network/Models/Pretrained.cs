using UlcAg.Network.Layers;
using UlcAg.Network.Weights;
using UlcAg.Network.Weights.Onnx;

namespace UlcAg.Network.Models;

/// <summary>Pretrained backbone weights and the input convention they were trained with.</summary>
/// <param name="Weights">Backbone tensors under torchvision names.</param>
/// <param name="Normalization">The pixel normalization the weights expect.</param>
/// <param name="Description">One line for logs and reports.</param>
public sealed record PretrainedBackbone(TensorMap Weights, Normalization Normalization, string Description);

/// <summary>Where the initial backbone weights come from: the packaged ImageNet model, a file, or nothing.</summary>
public static class Pretrained
{
    /// <summary>
    /// Loads <paramref name="spec"/>: "imagenet" (the ImageNet ResNet inside NuGet package
    /// Microsoft.ML.DnnImageFeaturizer.ResNet18; BGR, 0-255 minus its mean image, which is exact
    /// at 224 and reduced to per-channel means at other sizes), "none", or the path of a PyTorch
    /// checkpoint or safetensors file with torchvision names (torchvision's ImageNet normalization).
    /// The packaged model has blocks 2, 2, 2, 3: a ResNet-18 takes all but <c>layer4.2</c>.
    /// </summary>
    public static PretrainedBackbone? Load(string spec, int inputSize, IReadOnlyList<int> blocks)
    {
        if (spec.Equals("none", StringComparison.OrdinalIgnoreCase)) return null;
        if (spec.Equals("imagenet", StringComparison.OrdinalIgnoreCase))
        {
            var backbone = PackagedResNet18.LoadBackbone();
            var convention = PackagedResNet18.LoadInputConvention();
            var weights = blocks.SequenceEqual(backbone.BlocksPerStage) ? backbone.Weights : backbone.ResNet18Weights();
            var exact = inputSize == convention.Height && inputSize == convention.Width;
            var norm = new Normalization("BGR", 1f, convention.ChannelMeans(), [1f, 1f, 1f], exact ? convention.MeanImage.Data : null);
            return new PretrainedBackbone(weights, norm,
                $"ImageNet ResNet ({PackagedResNet18.PackageId}, {backbone.Producer}, blocks {string.Join(",", backbone.BlocksPerStage)}; using {weights.Count} tensors)");
        }
        if (!File.Exists(spec)) throw new WeightsException($"pretrained weights '{spec}' not found: expected imagenet, none, or a .pth/.pth.tar/.safetensors file");
        var map = WeightFiles.Read(spec, out _);
        return new PretrainedBackbone(map, Normalization.ImageNet, $"{Path.GetFileName(spec)} ({map.Count} tensors)");
    }
}
