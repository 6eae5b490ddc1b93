namespace UlcAg.Network.Weights;

/// <summary>
/// Parameter and buffer names and shapes of a torchvision-style basic-block ResNet backbone
/// (stem, four stages of 64/128/256/512 channels, no classifier <c>fc</c>), in state-dict order:
/// the names pretrained weights are mapped to.
/// </summary>
public static class ResNetLayout
{
    /// <summary>Output channels of layer1..layer4.</summary>
    public static IReadOnlyList<int> StageChannels { get; } = [64, 128, 256, 512];

    /// <summary>Basic blocks per stage of torchvision's ResNet-18: 2, 2, 2, 2.</summary>
    public static IReadOnlyList<int> ResNet18Blocks { get; } = [2, 2, 2, 2];

    /// <summary>Width of the pooled feature (the input of <c>fc</c>).</summary>
    public const int FeatureSize = 512;

    /// <summary>The batch-norm tensors PyTorch stores besides <c>num_batches_tracked</c>, in state-dict order.</summary>
    public static IReadOnlyList<string> BatchNormFields { get; } = ["weight", "bias", "running_mean", "running_var"];

    /// <summary>
    /// The backbone tensors for <paramref name="blocksPerStage"/> (default <see cref="ResNet18Blocks"/>):
    /// for ResNet-18, 20 convolutions and 20 batch norms (weight, bias, running_mean, running_var),
    /// 100 tensors; with <paramref name="includeBatchCounters"/> also each batch norm's scalar
    /// Int64 <c>num_batches_tracked</c>, 120 tensors.
    /// </summary>
    public static IReadOnlyList<ParameterSpec> Backbone(IReadOnlyList<int>? blocksPerStage = null, bool includeBatchCounters = false)
    {
        blocksPerStage ??= ResNet18Blocks;
        if (blocksPerStage.Count != StageChannels.Count || blocksPerStage.Any(b => b < 1))
        {
            throw new ArgumentException("Expected four stages of at least one block each.", nameof(blocksPerStage));
        }

        var specs = new List<ParameterSpec>();
        void Conv(string name, int output, int input, int kernel) =>
            specs.Add(new ParameterSpec($"{name}.weight", [output, input, kernel, kernel]));
        void BatchNorm(string name, int channels)
        {
            foreach (var field in BatchNormFields)
            {
                specs.Add(new ParameterSpec($"{name}.{field}", [channels]));
            }

            if (includeBatchCounters)
            {
                specs.Add(new ParameterSpec($"{name}.num_batches_tracked", [], TensorKind.Int64));
            }
        }

        Conv("conv1", 64, 3, 7);
        BatchNorm("bn1", 64);
        var input = 64;
        for (var stage = 0; stage < StageChannels.Count; stage++)
        {
            var channels = StageChannels[stage];
            for (var block = 0; block < blocksPerStage[stage]; block++)
            {
                var prefix = BlockName(stage, block);
                Conv($"{prefix}.conv1", channels, input, 3);
                BatchNorm($"{prefix}.bn1", channels);
                Conv($"{prefix}.conv2", channels, channels, 3);
                BatchNorm($"{prefix}.bn2", channels);
                if (HasDownsample(stage, block))
                {
                    Conv($"{prefix}.downsample.0", channels, input, 1);
                    BatchNorm($"{prefix}.downsample.1", channels);
                }

                input = channels;
            }
        }

        return specs;
    }

    /// <summary>torchvision name of a block, e.g. <c>layer2.0</c> for stage 1 (0-based), block 0.</summary>
    public static string BlockName(int stage, int block) => $"layer{stage + 1}.{block}";

    /// <summary>Whether block <paramref name="block"/> of stage <paramref name="stage"/> (0-based) has a 1x1 projection shortcut.</summary>
    public static bool HasDownsample(int stage, int block) => stage > 0 && block == 0;

    /// <summary>Stride of a block's first 3x3 convolution and of its projection shortcut.</summary>
    public static int BlockStride(int stage, int block) => HasDownsample(stage, block) ? 2 : 1;
}
