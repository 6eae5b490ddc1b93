namespace UlcAg.Network.Weights;

/// <summary>
/// The torchvision ResNet-18 backbone's parameter and buffer names and shapes, in state-dict
/// order, without the classifier (<c>fc</c>): the names pretrained weights are mapped to.
/// </summary>
public static class ResNet18Layout
{
    /// <summary>Output channels of layer1..layer4.</summary>
    public static IReadOnlyList<int> StageChannels { get; } = [64, 128, 256, 512];

    /// <summary>Basic blocks per stage (ResNet-18: 2, 2, 2, 2).</summary>
    public const int BlocksPerStage = 2;

    /// <summary>Width of the pooled feature (the input of <c>fc</c>).</summary>
    public const int FeatureSize = 512;

    /// <summary>
    /// The backbone tensors: 20 convolutions and 20 batch norms (weight, bias, running_mean,
    /// running_var), 100 tensors; with <paramref name="includeBatchCounters"/> also each batch
    /// norm's scalar Int64 <c>num_batches_tracked</c>, 120 tensors.
    /// </summary>
    public static IReadOnlyList<ParameterSpec> Backbone(bool includeBatchCounters = false)
    {
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
            for (var block = 0; block < BlocksPerStage; block++)
            {
                var prefix = $"layer{stage + 1}.{block}";
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

    /// <summary>The batch-norm tensors PyTorch stores besides <c>num_batches_tracked</c>, in state-dict order.</summary>
    public static IReadOnlyList<string> BatchNormFields { get; } = ["weight", "bias", "running_mean", "running_var"];

    /// <summary>Whether block <paramref name="block"/> of stage <paramref name="stage"/> (0-based) has a 1x1 projection shortcut.</summary>
    public static bool HasDownsample(int stage, int block) => stage > 0 && block == 0;

    /// <summary>Stride of a block's first 3x3 convolution and of its projection shortcut.</summary>
    public static int BlockStride(int stage, int block) => HasDownsample(stage, block) ? 2 : 1;
}
