namespace UlcAg.Network.Weights.Onnx;

/// <summary>
/// A basic-block ResNet read from an ONNX export, under torchvision names
/// (<see cref="ResNetLayout.Backbone"/> for <see cref="BlocksPerStage"/>; no <c>fc</c>, no
/// <c>num_batches_tracked</c>) and, per layer, what the ONNX graph said about it.
/// </summary>
/// <remarks>
/// The packaged CNTK "ResNet18" has blocks 2, 2, 2, 3: its last stage has a third block
/// (<c>layer4.2</c>) that torchvision's ResNet-18 lacks. <see cref="ResNet18Weights"/> gives the
/// 100 tensors a torchvision ResNet-18 takes; <see cref="Weights"/> holds all of them, which a
/// backbone built with <see cref="BlocksPerStage"/> needs to reproduce the exported features.
/// </remarks>
/// <param name="Weights">All mapped tensors in state-dict order.</param>
/// <param name="BlocksPerStage">Basic blocks found in layer1..layer4.</param>
/// <param name="Convolutions">The convolutions in graph order.</param>
/// <param name="BatchNorms">The batch norms in graph order, with their epsilons.</param>
/// <param name="InputName">The graph input the stem reads (<c>Input247</c> in the packaged model).</param>
/// <param name="FeatureName">The pooled 512-channel output.</param>
/// <param name="Producer">The producer recorded in the model, e.g. <c>CNTK 2.6</c>.</param>
public sealed record ImportedBackbone(
    TensorMap Weights,
    IReadOnlyList<int> BlocksPerStage,
    IReadOnlyList<ConvMapping> Convolutions,
    IReadOnlyList<BatchNormMapping> BatchNorms,
    string InputName,
    string FeatureName,
    string Producer)
{
    /// <summary>The tensors of a torchvision ResNet-18 (blocks 2, 2, 2, 2), in state-dict order.</summary>
    /// <exception cref="WeightsException">A stage has fewer blocks than ResNet-18 needs.</exception>
    public TensorMap ResNet18Weights()
    {
        var subset = new TensorMap();
        foreach (var spec in ResNetLayout.Backbone())
        {
            if (!Weights.TryGet(spec.Name, out var tensor))
            {
                throw new WeightsException($"The imported backbone (blocks {string.Join(", ", BlocksPerStage)}) has no '{spec.Name}' for ResNet-18.");
            }

            subset.Add(spec.Name, tensor);
        }

        return subset;
    }

    /// <summary>Names of mapped tensors that a torchvision ResNet-18 has no place for (e.g. <c>layer4.2.*</c>).</summary>
    public IReadOnlyList<string> TensorsBeyondResNet18()
    {
        var names = ResNetLayout.Backbone().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        return [.. Weights.Names.Where(n => !names.Contains(n))];
    }
}
