namespace UlcAg.Network.Weights.Onnx;

/// <summary>How one ONNX Conv node became a torchvision convolution.</summary>
/// <param name="Name">torchvision module name, e.g. <c>layer2.0.downsample.0</c>.</param>
/// <param name="Node">ONNX node name.</param>
/// <param name="Weight">ONNX initializer holding the kernel.</param>
/// <param name="Kernel">Kernel height and width.</param>
/// <param name="Strides">Vertical and horizontal stride.</param>
/// <param name="Pads">ONNX pads: top, left, bottom, right.</param>
/// <param name="TorchPadding">The symmetric padding torchvision uses for this convolution.</param>
public sealed record ConvMapping(string Name, string Node, string Weight, long[] Kernel, long[] Strides, long[] Pads, int TorchPadding);
