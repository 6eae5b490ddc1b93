using UlcAg.Graph;
using UlcAg.Graph.Optim;
using UlcAg.Network.Weights;

namespace UlcAg.Network.Layers;

/// <summary>How a network graph gets its weights and which form of batch norm it uses.</summary>
public enum GraphMode
{
    /// <summary>Weights are graph inputs (state of a train step); batch norm uses batch statistics.</summary>
    Train,
    /// <summary>Weights are graph inputs; batch norm uses running statistics.</summary>
    Eval,
    /// <summary>Weights are embedded initializers; batch norm uses running statistics (inference export).</summary>
    Export,
}

/// <summary>
/// Builds layers into a graph with torchvision parameter names, and collects what a train step
/// needs: trainable parameters (with their optimizer group) and buffer updates (batch norm
/// running statistics). In <see cref="GraphMode.Export"/> the weights come from a <see cref="TensorMap"/>.
/// </summary>
public sealed class ModelContext
{
    private readonly TensorMap? _weights;
    private readonly List<Parameter> _parameters = [];
    private readonly List<StateTransition> _bufferUpdates = [];
    private readonly List<ParameterSpec> _specs = [];

    public ModelContext(GraphBuilder graph, GraphMode mode, TensorMap? weights = null)
    {
        if (mode == GraphMode.Export && weights is null) throw new ArgumentException("an export graph needs weights");
        G = graph;
        Mode = mode;
        _weights = weights;
    }

    public GraphBuilder G { get; }
    public GraphMode Mode { get; }
    public bool Training => Mode == GraphMode.Train;

    /// <summary>Trainable parameters in creation order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Running-statistics updates (train mode only).</summary>
    public IReadOnlyList<StateTransition> BufferUpdates => _bufferUpdates;

    /// <summary>Every weight tensor (parameters and buffers) with its shape, in creation order.</summary>
    public IReadOnlyList<ParameterSpec> Specs => _specs;

    /// <summary>A trainable weight named <paramref name="name"/> in optimizer group <paramref name="group"/>.</summary>
    public Value Parameter(string name, long[] shape, string group)
    {
        var v = Weight(name, shape, group);
        if (Mode != GraphMode.Export) _parameters.Add(new Parameter(v, group));
        return v;
    }

    /// <summary>A non-trainable weight (running statistics) of the layers in <paramref name="group"/>.</summary>
    public Value Buffer(string name, long[] shape, string group) => Weight(name, shape, group);

    /// <summary>Bias-free 2-D convolution with symmetric padding (torchvision's conv3x3/conv1x1/stem).</summary>
    public Value Conv2d(Value x, string name, int outChannels, int kernel, int stride, int pad, string group)
    {
        var w = Parameter($"{name}.weight", [outChannels, x.Shape[1], kernel, kernel], group);
        return G.Conv(x, w, null, stride, pad);
    }

    /// <summary>Batch norm over channels (eps 1e-5, momentum 0.1, as torchvision).</summary>
    public Value BatchNorm(Value x, string name, string group)
    {
        var c = x.Shape[1];
        var gamma = Parameter($"{name}.weight", [c], group);
        var beta = Parameter($"{name}.bias", [c], group);
        var mean = Buffer($"{name}.running_mean", [c], group);
        var variance = Buffer($"{name}.running_var", [c], group);
        if (!Training) return G.BatchNormInference(x, gamma, beta, mean, variance);
        var o = G.BatchNormTrain(x, gamma, beta, mean, variance);
        _bufferUpdates.Add(new StateTransition(mean, o.RunningMean));
        _bufferUpdates.Add(new StateTransition(variance, o.RunningVar));
        return o.Y;
    }

    /// <summary>Fully connected layer: weight [out, in], optional bias [out].</summary>
    public Value Linear(Value x, string name, int outFeatures, string group, bool bias = true)
    {
        var w = Parameter($"{name}.weight", [outFeatures, x.Shape[1]], group);
        var b = bias ? Parameter($"{name}.bias", [outFeatures], group) : null;
        return G.Linear(x, w, b);
    }

    private Value Weight(string name, long[] shape, string group)
    {
        _specs.Add(new ParameterSpec(name, shape, Group: group));
        if (Mode != GraphMode.Export) return G.Input(name, DType.Float, shape);
        if (!_weights!.TryGet(name, out var t)) throw new WeightsException($"weights for the export lack '{name}'");
        if (!t.HasShape(shape)) throw new WeightsException($"'{name}' has shape {HostTensor.FormatShape(t.Shape)}, the network expects {HostTensor.FormatShape(shape)}");
        return G.Initializer(name, TensorData.Of(t.Data, shape));
    }
}
