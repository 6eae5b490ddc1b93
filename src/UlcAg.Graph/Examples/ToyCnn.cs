using UlcAg.Graph.Optim;

namespace UlcAg.Graph.Examples;

/// <summary>
/// A small CNN (conv-bn-relu, maxpool, conv-bn-relu stride 2, global pool, linear) and a toy
/// image problem, as an example of the compiler's use and a check that training works: 4 classes of 12x12 line patterns (horizontal, vertical, diagonal, ring) at
/// random positions with noise.
/// </summary>
public static class ToyCnn
{
    public const int Size = 12, Classes = 4;

    public static readonly (string Name, long[] Shape)[] ParameterShapes =
    [
        ("conv1.weight", [16, 1, 3, 3]), ("bn1.weight", [16]), ("bn1.bias", [16]),
        ("conv2.weight", [16, 16, 3, 3]), ("bn2.weight", [16]), ("bn2.bias", [16]),
        ("fc.weight", [Classes, 16]), ("fc.bias", [Classes]),
    ];

    public static readonly (string Name, long[] Shape)[] BufferShapes =
    [
        ("bn1.running_mean", [16]), ("bn1.running_var", [16]), ("bn2.running_mean", [16]), ("bn2.running_var", [16]),
    ];

    /// <summary>Builds the train step; returns the model bytes. <paramref name="configure"/> may set builder options (convolution lowering).</summary>
    public static byte[] TrainStepModel(int batch, Optimizer optimizer, Action<GraphBuilder>? configure = null)
    {
        var g = new GraphBuilder("tiny_train");
        configure?.Invoke(g);
        var (loss, logits, parameters, state) = Loss(g, batch);
        var transitions = TrainStep.Build(g, loss, parameters, optimizer, state, [("loss", loss), ("logits", logits)]);
        return g.ToBytes(new OnnxExportOptions { Metadata = new Dictionary<string, string>([TrainStep.StateMetadata(transitions)]) });
    }

    /// <summary>
    /// The train step of batch <paramref name="batch"/> as micro-batches of <paramref name="micro"/>
    /// with accumulated gradients: the micro-batch graph (loss scaled to its share of the batch's
    /// mean) and the apply graph.
    /// </summary>
    public static (byte[] Micro, byte[] Apply) AccumulatingModels(int micro, int batch, Optimizer optimizer)
    {
        var g = new GraphBuilder("tiny_micro");
        var (loss, logits, parameters, state) = Loss(g, micro);
        var share = loss * ((double)micro / batch);
        var transitions = TrainStep.BuildAccumulate(g, share, parameters, state, [("loss", share), ("logits", logits)]);
        var microModel = g.ToBytes(new OnnxExportOptions
        {
            Metadata = new Dictionary<string, string>([
                TrainStep.StateMetadata(transitions),
                new(TrainStep.AccumulationMetadataKey, $"{micro}\t{batch}"),
                new(TrainStep.PerSampleMetadataKey, "images\nlabels\nlogits"),
            ]),
        });
        var ga = new GraphBuilder("tiny_apply");
        var applied = TrainStep.BuildApply(ga, parameters, optimizer);
        return (microModel, ga.ToBytes(new OnnxExportOptions { Metadata = new Dictionary<string, string>([TrainStep.StateMetadata(applied)]) }));
    }

    private static (Value Loss, Value Logits, Parameter[] Parameters, List<StateTransition> State) Loss(GraphBuilder g, int batch)
    {
        var x = g.Input("images", DType.Float, batch, 1, Size, Size);
        var labels = g.Input("labels", DType.Int64, batch);
        var p = ParameterShapes.ToDictionary(s => s.Name, s => g.Input(s.Name, DType.Float, s.Shape));
        var buffers = BufferShapes.ToDictionary(s => s.Name, s => g.Input(s.Name, DType.Float, s.Shape));
        var state = new List<StateTransition>();
        Value Bn(Value h, string name)
        {
            var o = g.BatchNormTrain(h, p[$"{name}.weight"], p[$"{name}.bias"], buffers[$"{name}.running_mean"], buffers[$"{name}.running_var"]);
            state.Add(new StateTransition(buffers[$"{name}.running_mean"], o.RunningMean));
            state.Add(new StateTransition(buffers[$"{name}.running_var"], o.RunningVar));
            return o.Y;
        }
        var h1 = g.MaxPool(g.Relu(Bn(g.Conv(x, p["conv1.weight"], null, 1, 1), "bn1")), 3, 2, 1);
        var h2 = g.Relu(Bn(g.Conv(h1, p["conv2.weight"], null, 2, 1), "bn2"));
        var logits = g.Linear(g.Flatten(g.GlobalAveragePool(h2)), p["fc.weight"], p["fc.bias"]);
        var loss = -g.MeanAll(g.ReduceSum(g.LogSoftmax(logits) * g.OneHot(labels, Classes), [1]));
        return (loss, logits, p.Values.Select(v => new Parameter(v)).ToArray(), state);
    }

    /// <summary>He-initialized parameters, unit BN scale, zero biases, running var 1.</summary>
    public static Dictionary<string, float[]> InitialState(int seed)
    {
        var rng = new Random(seed);
        var state = new Dictionary<string, float[]>();
        foreach (var (name, shape) in ParameterShapes.Concat(BufferShapes))
        {
            var n = (int)shape.Aggregate(1L, (a, b) => a * b);
            var fanIn = shape.Length > 1 ? shape.Skip(1).Aggregate(1L, (a, b) => a * b) : 1;
            state[name] = name switch
            {
                _ when name.EndsWith("running_var", StringComparison.Ordinal) || (name.StartsWith("bn", StringComparison.Ordinal) && name.EndsWith("weight", StringComparison.Ordinal)) => Enumerable.Repeat(1f, n).ToArray(),
                _ when shape.Length > 1 => Enumerable.Range(0, n).Select(_ => (float)(Gaussian(rng) * Math.Sqrt(2.0 / fanIn))).ToArray(),
                _ => new float[n],
            };
        }
        return state;
    }

    /// <summary>One batch of the toy problem.</summary>
    public static (float[] Images, long[] Labels) Batch(Random rng, int batch)
    {
        var images = new float[batch * Size * Size];
        var labels = new long[batch];
        for (var b = 0; b < batch; b++)
        {
            var label = rng.Next(Classes);
            labels[b] = label;
            var img = images.AsSpan(b * Size * Size, Size * Size);
            for (var i = 0; i < img.Length; i++) img[i] = (float)(Gaussian(rng) * 0.3);
            var (r, c) = (rng.Next(2, Size - 2), rng.Next(2, Size - 2));
            for (var t = -3; t <= 3; t++)
            {
                switch (label)
                {
                    case 0: Set(img, r, c + t); break;
                    case 1: Set(img, r + t, c); break;
                    case 2: Set(img, r + t, c + t); break;
                    default:
                        if (Math.Abs(t) <= 2) { Set(img, r - 2, c + t); Set(img, r + 2, c + t); Set(img, r + t, c - 2); Set(img, r + t, c + 2); }
                        break;
                }
            }
        }
        return (images, labels);
    }

    private static void Set(Span<float> img, int r, int c)
    {
        if (r >= 0 && r < Size && c >= 0 && c < Size) img[r * Size + c] += 1.5f;
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
