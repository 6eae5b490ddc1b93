namespace UlcAg.Network.Weights.Onnx;

/// <summary>How one ONNX BatchNormalization node became a torchvision batch norm.</summary>
/// <param name="Name">torchvision module name, e.g. <c>layer1.0.bn2</c>.</param>
/// <param name="Node">ONNX node name.</param>
/// <param name="Epsilon">The node's epsilon (torchvision uses 1e-5).</param>
/// <param name="Momentum">The node's momentum attribute (the exporter's; unused at inference).</param>
/// <param name="Spatial">The opset-8 <c>spatial</c> attribute: 1 means one statistic per channel.</param>
/// <param name="Initializers">ONNX initializers for scale, B, mean and var, mapped to weight, bias, running_mean, running_var.</param>
public sealed record BatchNormMapping(string Name, string Node, float Epsilon, float Momentum, long Spatial, string[] Initializers);
