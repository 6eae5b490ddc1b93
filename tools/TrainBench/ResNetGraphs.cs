using UlcAg.Graph;
using UlcAg.Graph.Optim;
using UlcAg.Network.Layers;
using UlcAg.Network.Models;
using UlcAg.Network.Weights;

namespace UlcAg.Tools.TrainBench;

/// <summary>The graphs measured: ResNet-18 (7 classes) train step and forward pass on uint8 NHWC images.</summary>
internal static class ResNetGraphs
{
    public const int Classes = 7;

    /// <summary>
    /// Forward, cross-entropy, backward and SGD (momentum 0.9, weight decay 1e-4) at a fixed
    /// batch size, as the reference script's PyTorch train step.
    /// </summary>
    public static (byte[] Model, IReadOnlyList<ParameterSpec> Specs) TrainStep(int res, int batch, GraphSettings settings)
    {
        var g = new GraphBuilder("resnet18_train");
        settings.Apply(g);
        var m = new ModelContext(g, GraphMode.Train);
        var x = ImageInput.Normalize(g, g.Input("images", DType.UInt8, batch, res, res, 3), Normalization.ImageNet);
        var logits = ResNet18.ForwardHead(m, ResNet18.ForwardFeatures(m, x, "default"), Classes, "default");
        var y = g.Input("labels", DType.Int64, batch);
        var loss = -g.MeanAll(g.ReduceSum(g.LogSoftmax(logits) * g.OneHot(y, Classes), [1]));
        var transitions = Graph.TrainStep.Build(g, loss, m.Parameters, new Sgd([new ParamGroup("default", 1e-4)], 0.9), m.BufferUpdates, [("loss", loss)]);
        return (g.ToBytes(new OnnxExportOptions { Metadata = new Dictionary<string, string>([Graph.TrainStep.StateMetadata(transitions)]) }), m.Specs);
    }

    /// <summary>The inference forward pass (running statistics) with weights as inputs, for a fixed batch size.</summary>
    public static byte[] Forward(int res, int batch, ConvLowering lowering)
    {
        var g = new GraphBuilder("resnet18_eval") { ConvLowering = lowering };
        var m = new ModelContext(g, GraphMode.Eval);
        var x = ImageInput.Normalize(g, g.Input("images", DType.UInt8, batch, res, res, 3), Normalization.ImageNet);
        g.Output(ResNet18.ForwardHead(m, ResNet18.ForwardFeatures(m, x, "default"), Classes, "default"), "logits");
        return g.ToBytes();
    }
}
