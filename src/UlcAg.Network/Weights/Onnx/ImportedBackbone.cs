namespace UlcAg.Network.Weights.Onnx;

/// <summary>
/// A ResNet-18 read from an ONNX export, under torchvision names: the weights
/// (<see cref="ResNet18Layout.Backbone"/>, 100 tensors, no <c>fc</c> and no
/// <c>num_batches_tracked</c>) and, per layer, what the ONNX graph said about it.
/// </summary>
/// <param name="Weights">Tensors in torchvision state-dict order.</param>
/// <param name="Convolutions">The 20 convolutions in graph order.</param>
/// <param name="BatchNorms">The 20 batch norms in graph order, with their epsilons.</param>
/// <param name="InputName">The graph input the stem reads (<c>Input247</c> in the packaged model).</param>
/// <param name="FeatureName">The pooled 512-channel output.</param>
/// <param name="Producer">The producer recorded in the model, e.g. <c>CNTK 2.6</c>.</param>
public sealed record ImportedBackbone(
    TensorMap Weights,
    IReadOnlyList<ConvMapping> Convolutions,
    IReadOnlyList<BatchNormMapping> BatchNorms,
    string InputName,
    string FeatureName,
    string Producer);
