using Onnx;
using UlcAg.Network.Layers;
using UlcAg.Network.Models;
using UlcAg.Network.Weights;
using UlcAg.Runtime;
using UlcAg.Training.Config;
using UlcAg.Training.Methods;

namespace UlcAg.Training.Tests.Cuda;

/// <summary>
/// Every graph a run on <c>--device cuda</c> gives ONNX Runtime, built in memory the way the
/// trainer builds them (src/UlcAg.Training/Trainer/RunSetup.cs, EvalRunner.cs, ExportCallback.cs).
/// </summary>
internal static class CudaGraphs
{
    /// <summary>A model and what it is, for messages.</summary>
    public sealed record Graph(string Name, ModelProto Model);

    /// <summary>The configuration of a run from presets and YAML overlays (the data's class and AU counts fixed).</summary>
    public static (TrainOptions Options, NetworkOptions Network) Run(ConfigTestFiles files, IEnumerable<string> presets, string yaml = "")
    {
        var builder = files.Builder();
        foreach (var p in presets) builder.AddFile(ConfigTestFiles.Preset(p));
        if (yaml.Length > 0) builder.AddYaml(yaml, "test");
        var o = builder.Build().Options;
        var method = MethodModule.Create(o);
        var net = method.Network(o.Model.ToNetwork(classes: 7, inputSize: o.Data.InputSize, auCount: 12,
            normalization: Normalization.ImageNet, convLowering: Device.Parse("cuda").PreferredConvLowering));
        // The forward-corrected AU loss takes its rates from the training labels in a run; any rates give its graph.
        if (o.Model.AuLoss == AuLossKind.Forward) net = net with { AuFalsePositiveRates = [.. Enumerable.Repeat(0.08f, net.AuCount)] };
        return (o, net);
    }

    /// <summary>
    /// train_step.onnx (with gradient accumulation: the micro-batch graph, and apply_step.onnx),
    /// eval.onnx and the trainer's fixed-batch eval graph of one run.
    /// </summary>
    public static IEnumerable<Graph> Training(string name, TrainOptions o, NetworkOptions net)
    {
        var optimizer = new OptimizerSettings(o.Train.Optimizer, o.Train.Momentum, o.Train.WeightDecay);
        if (o.Train.AccumulationSteps > 1)
        {
            var step = UlcAgNetwork.BuildAccumulatingTrainStep(net, o.Train.BatchSize, o.Train.MicroBatch, optimizer);
            yield return new Graph($"{name}: train step, micro-batch graph ({o.Train.MicroBatch} of {o.Train.BatchSize})", Parse(step.Model));
            yield return new Graph($"{name}: train step, apply graph", Parse(step.Apply!));
        }
        else
        {
            yield return new Graph($"{name}: train step (batch {o.Train.BatchSize})", Parse(UlcAgNetwork.BuildTrainStep(net, o.Train.BatchSize, optimizer).Model));
        }
        yield return new Graph($"{name}: eval.onnx", Parse(UlcAgNetwork.BuildEval(net)));
        yield return new Graph($"{name}: eval graph (batch {o.Train.EvalBatchSize})", Parse(UlcAgNetwork.BuildEval(net, o.Train.EvalBatchSize)));
    }

    /// <summary>
    /// model.onnx as the export callback writes it (uint8 NHWC input, or float32 NCHW), with the
    /// element types of its values declared (the shipped file leaves them out for OpenCV's sake).
    /// </summary>
    public static Graph Export(string name, NetworkOptions net, bool float32)
    {
        var weights = Initializers.Default(UlcAgNetwork.WeightSpecs(net), 1);
        var classes = Enumerable.Range(0, net.Classes).Select(i => $"class{i}").ToArray();
        return new Graph($"{name}: model.onnx ({(float32 ? "float32" : "uint8")} input)", ModelExport.Build(net, weights, new ExportSettings(classes, Float32Input: float32), describeValues: true));
    }

    private static ModelProto Parse(byte[] bytes) => ModelProto.Parser.ParseFrom(bytes);
}
