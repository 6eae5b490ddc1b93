using Onnx;
using UlcAg.Graph;
using UlcAg.Graph.Optim;
using UlcAg.Network.Layers;
using UlcAg.Network.Weights;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Network.Models;

/// <summary>The optimizer of a train step: SGD with momentum, Adam or AdamW, each with weight decay on every parameter group.</summary>
/// <param name="Kind">The update rule.</param>
/// <param name="Momentum">SGD's momentum (Adam keeps its own betas).</param>
/// <param name="WeightDecay">L2 penalty (decoupled for AdamW).</param>
public sealed record OptimizerSettings(OptimizerKind Kind, double Momentum, double WeightDecay)
{
    internal Optimizer Create()
    {
        ParamGroup[] groups = [new(N.GroupBackbone, WeightDecay), new(N.GroupTarget, WeightDecay), new(N.GroupAux, WeightDecay)];
        return Kind switch
        {
            OptimizerKind.Sgd => new Sgd(groups, Momentum),
            OptimizerKind.Adam => new Adam(groups),
            OptimizerKind.AdamW => new Adam(groups, decoupledWeightDecay: true),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown optimizer"),
        };
    }
}

/// <summary>A compiled train step and the weights it carries.</summary>
/// <param name="Model">The ONNX model bytes (train_step.onnx): the whole step, or with <see cref="Apply"/> the micro-batch graph.</param>
/// <param name="Weights">Every network weight (parameters and running statistics) with its shape.</param>
public sealed record TrainStepArtifact(byte[] Model, IReadOnlyList<ParameterSpec> Weights)
{
    /// <summary>
    /// The optimizer graph of a step that accumulates gradients over micro-batches (apply_step.onnx),
    /// or null when <see cref="Model"/> is the whole step in one graph.
    /// </summary>
    public byte[]? Apply { get; init; }
}

/// <summary>
/// ULC-AG (and the methods compared with it) as graphs: the shared forward pass, the losses of
/// eq. 1-7 and 11, the train step, the eval graph and the inference export.
/// <code>
///   images -> normalize -> ResNet-18 -> f [N,512] -+-> fc -> logits [N,C]            target branch
///                                                  +-> attention -> sigmoid -> alpha  (eq. 1)
///                                                  +-> node FC -> X [N,M,B] -> GCN x2 (A, eq. 6)
///                                                        -> per-AU classifier -> AU scores [N,M]   auxiliary branch
/// </code>
/// </summary>
public static class UlcAgNetwork
{
    /// <summary>What the forward pass produces.</summary>
    public sealed record Outputs(Value Features, Value Logits, Value? Alpha, Value? AuScores, Value? Semantic);

    /// <summary>The forward pass (train or eval form, depending on <paramref name="m"/>'s mode).</summary>
    public static Outputs Forward(ModelContext m, Value x, Value? adjacency, NetworkOptions o)
    {
        var g = m.G;
        var f = ResNet18.ForwardFeatures(m, x, N.GroupBackbone, o.Blocks, o.Width);
        Value logits, alpha = null!;
        using (g.Scope("target"))
        {
            logits = ResNet18.ForwardHead(m, f, o.Classes, N.GroupTarget);
            // eq. 1: alpha_i = sigmoid(W_a^T f_i)
            if (o.Method.HasAttention()) alpha = g.Reshape(g.Sigmoid(m.Linear(f, "attention", 1, N.GroupTarget)), -1);
        }
        if (!o.Method.HasAuxBranch() || adjacency is null) return new Outputs(f, logits, o.Method.HasAttention() ? alpha : null, null, null);

        using (g.Scope("aux"))
        {
            // M AU nodes with B-dim features from the shared backbone.
            var nodes = g.Relu(g.Reshape(m.Linear(f, "aux.nodes", o.AuCount * o.NodeDim, N.GroupAux), -1, o.AuCount, o.NodeDim));
            // eq. 6, twice: X' = LeakyReLU(A X W), or LeakyReLU(A X W + X W_self) with the self weight.
            var h = nodes;
            for (var layer = 1; layer <= 2; layer++)
            {
                var w = m.Parameter($"aux.gcn{layer}.weight", [h.Shape[2], o.GcnChannels], N.GroupAux);
                var self = o.GcnSelfWeight ? m.Parameter($"aux.gcn{layer}.self_weight", [h.Shape[2], o.GcnChannels], N.GroupAux) : null;
                h = GcnLayer(g, adjacency, h, w, o.LeakySlope, self);
            }
            // One classifier per AU on its own node: score_m = <w_m, h_m> + b_m.
            var cw = m.Parameter("aux.classifier.weight", [o.AuCount, o.GcnChannels], N.GroupAux);
            var cb = m.Parameter("aux.classifier.bias", [o.AuCount], N.GroupAux);
            var scores = g.ReduceSum(h * cw, [2]) + cb;
            var semantic = o.Semantic == SemanticFeature.AuScores ? scores : g.Reshape(h, -1, o.AuCount * o.GcnChannels);
            return new Outputs(f, logits, alpha, scores, semantic);
        }
    }

    /// <summary>
    /// eq. 6: X' = LeakyReLU(A X W) for node features X [N, M, B], adjacency A [M, M], weight W [B, G];
    /// with <paramref name="selfWeight"/> W_self [B, G], X' = LeakyReLU(A X W + X W_self).
    /// </summary>
    public static Value GcnLayer(GraphBuilder g, Value adjacency, Value x, Value w, double slope, Value? selfWeight = null)
    {
        var mixed = g.MatMul(g.MatMul(adjacency, x), w);
        return g.LeakyRelu(selfWeight is null ? mixed : mixed + g.MatMul(x, selfWeight), slope);
    }

    /// <summary>Every weight of the network (parameters and running statistics), in creation order.</summary>
    public static IReadOnlyList<ParameterSpec> WeightSpecs(NetworkOptions o)
    {
        var g = new GraphBuilder("specs");
        var m = new ModelContext(g, GraphMode.Eval);
        Forward(m, g.Input(N.Images, DType.Float, 1, 3, o.InputSize, o.InputSize), o.Method.HasAuxBranch() ? g.Input(N.Adjacency, DType.Float, o.AuCount, o.AuCount) : null, o);
        return m.Specs;
    }

    /// <summary>
    /// The train step: forward, the method's losses (eq. 3, 4, 7 combined by eq. 11 with
    /// lambda1/lambda2 fed at run time), backward and the optimizer update, batch <paramref name="batch"/>.
    /// </summary>
    public static TrainStepArtifact BuildTrainStep(NetworkOptions o, int batch, OptimizerSettings optimizer)
    {
        var (g, m, outs, losses, total) = BuildLoss(o, batch);
        var results = StepResults(g, outs, losses, total, batch);
        var transitions = TrainStep.Build(g, total, m.Parameters, optimizer.Create(), m.BufferUpdates, results);
        var model = g.ToBytes(new OnnxExportOptions
        {
            DocString = $"UlcAg train step: {o.Method.Name()}, batch {batch}, input {o.InputSize}",
            Metadata = new Dictionary<string, string>([TrainStep.StateMetadata(transitions)]),
        });
        return new TrainStepArtifact(model, m.Specs);
    }

    /// <summary>
    /// The train step of batch <paramref name="batch"/> as <paramref name="microBatch"/>-sized
    /// micro-batches whose gradients accumulate before one optimizer update (gradient accumulation):
    /// <see cref="TrainStepArtifact.Model"/> is the micro-batch graph (forward, the micro-batch's
    /// share of the loss, backward, gradient accumulators as state; parameters read only),
    /// <see cref="TrainStepArtifact.Apply"/> the update. The micro-batch graph takes the same inputs as
    /// the single-graph step at the micro-batch size, plus <see cref="ArtifactNames.AuCount"/> with
    /// the AU branch; the learning rates go to the apply graph. Its loss outputs are the
    /// micro-batch's shares: their sum over the micro-batches is the effective batch's loss.
    /// Batch norm normalizes with each micro-batch's own statistics.
    /// </summary>
    public static TrainStepArtifact BuildAccumulatingTrainStep(NetworkOptions o, int batch, int microBatch, OptimizerSettings optimizer)
    {
        if (microBatch < 2 || batch % microBatch != 0 || batch == microBatch)
            throw new ArgumentException($"an accumulating step needs a micro-batch of at least 2 that divides the batch into several parts; got batch {batch}, micro-batch {microBatch}");
        var (g, m, outs, losses, total) = BuildLoss(o, microBatch, batch);
        var results = StepResults(g, outs, losses, total, microBatch);
        var transitions = TrainStep.BuildAccumulate(g, total, m.Parameters, m.BufferUpdates, results);
        string[] perSample = [N.Images, N.Labels, N.ClassWeights, .. o.Method.HasAuxBranch() ? [N.AuTargets, N.AuMask] : Array.Empty<string>(),
            N.Alpha, N.Logits, .. outs.Semantic is null ? Array.Empty<string>() : [N.Semantic]];
        var micro = g.ToBytes(new OnnxExportOptions
        {
            DocString = $"UlcAg train step, micro-batch part: {o.Method.Name()}, micro-batch {microBatch} of batch {batch}, input {o.InputSize}",
            Metadata = new Dictionary<string, string>([
                TrainStep.StateMetadata(transitions),
                new(TrainStep.AccumulationMetadataKey, $"{microBatch}\t{batch}"),
                new(TrainStep.PerSampleMetadataKey, string.Join("\n", perSample)),
            ]),
        });
        var ga = new GraphBuilder("apply_step");
        var applied = TrainStep.BuildApply(ga, m.Parameters, optimizer.Create());
        var apply = ga.ToBytes(new OnnxExportOptions
        {
            DocString = $"UlcAg train step, optimizer part: {o.Method.Name()}, batch {batch} as {batch / microBatch} micro-batches of {microBatch}",
            Metadata = new Dictionary<string, string>([TrainStep.StateMetadata(applied)]),
        });
        return new TrainStepArtifact(micro, m.Specs) { Apply = apply };
    }

    /// <summary>What a train step outputs besides the state: the loss terms, alpha, logits and s.</summary>
    private static List<(string, Value)> StepResults(GraphBuilder g, Outputs outs, MethodLosses losses, Value total, int batch)
    {
        var alpha = outs.Alpha ?? g.Expand(g.Scalar(1), new Shape(batch));
        var results = new List<(string, Value)>
        {
            (N.Loss, total), (N.LossCls, losses.Cls), (N.LossRr, losses.Rr), (N.LossAu, losses.Au),
            (N.Alpha, g.StopGradient(alpha)), (N.Logits, g.StopGradient(outs.Logits)),
        };
        if (outs.Semantic is not null) results.Add((N.Semantic, g.StopGradient(outs.Semantic)));
        return results;
    }

    /// <summary>A forward pass in train mode and the method's loss; the train step and the gradient checks build on it.</summary>
    public sealed record LossGraph(GraphBuilder Graph, ModelContext Context, Outputs Outputs, MethodLosses Terms, Value Total);

    /// <summary>
    /// Records the train-mode forward pass and eq. 11's total loss for batch <paramref name="batch"/>;
    /// inputs as in <see cref="ArtifactNames"/>. With <paramref name="effectiveBatch"/> larger than
    /// <paramref name="batch"/>, the batch is a micro-batch of it and the loss is its share
    /// (<see cref="Losses.Compute"/>).
    /// </summary>
    public static LossGraph BuildLoss(NetworkOptions o, int batch, int? effectiveBatch = null)
    {
        o.Validate();
        if (batch < 2) throw new ArgumentException("the train step needs a batch of at least 2");
        var effective = effectiveBatch ?? batch;
        var g = new GraphBuilder("train_step") { ConvLowering = o.ConvLowering, ConvLoweringKeepBytes = o.KeepForBackwardBytes };
        var m = new ModelContext(g, GraphMode.Train);
        var images = g.Input(N.Images, DType.UInt8, batch, o.InputSize, o.InputSize, 3);
        var labels = g.Input(N.Labels, DType.Int64, batch);
        var gamma = g.Input(N.ClassWeights, DType.Float, batch);
        var aux = o.Method.HasAuxBranch();
        var auTargets = aux ? g.Input(N.AuTargets, DType.Float, batch, o.AuCount) : null;
        var auMask = aux ? g.Input(N.AuMask, DType.Float, batch) : null;
        var adjacency = aux ? g.Input(N.Adjacency, DType.Float, o.AuCount, o.AuCount) : null;
        var lambda1 = g.Input(N.Lambda1, DType.Float);
        var lambda2 = g.Input(N.Lambda2, DType.Float);
        var margin = g.Input(N.RrMargin, DType.Float);
        var auCount = aux && effective != batch ? g.Input(N.AuCount, DType.Float) : null;

        var outs = Forward(m, ImageInput.FromUInt8Nhwc(g, images, o.Normalization), adjacency, o);
        var losses = Losses.Compute(g, o, outs, labels, gamma, auTargets, auMask, margin, (double)batch / effective, auCount);
        // eq. 11: L = lambda1 / 2 (L_cls + L_rr) + lambda2 L_au
        var total = lambda1 * 0.5 * (losses.Cls + losses.Rr) + lambda2 * losses.Au;
        return new LossGraph(g, m, outs, losses, total);
    }

    /// <summary>
    /// The eval graph: forward with running statistics; weights are inputs. Without
    /// <paramref name="batch"/> it takes any batch size and emits ONNX Conv (the portable
    /// <c>eval.onnx</c>); with it the batch is fixed and convolutions are lowered as
    /// <see cref="NetworkOptions.ConvLowering"/> says, as in the train step (the lowering needs
    /// every shape static), which is what the trainer runs.
    /// </summary>
    public static byte[] BuildEval(NetworkOptions o, int? batch = null)
    {
        o.Validate();
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "the eval graph's batch must be at least 1");
        var g = new GraphBuilder("eval") { ConvLowering = batch is null ? ConvLowering.None : o.ConvLowering };
        var m = new ModelContext(g, GraphMode.Eval);
        var images = g.Input(N.Images, DType.UInt8, batch ?? Shape.Dynamic, o.InputSize, o.InputSize, 3);
        var adjacency = o.Method.HasAuxBranch() ? g.Input(N.Adjacency, DType.Float, o.AuCount, o.AuCount) : null;
        var outs = Forward(m, ImageInput.FromUInt8Nhwc(g, images, o.Normalization), adjacency, o);
        g.Output(outs.Logits, N.Logits);
        // Methods without attention report alpha = 1 ([N] ones, built from the dynamic batch).
        g.Output(outs.Alpha ?? g.ReduceSum(outs.Logits * 0.0, [1]) + 1.0, N.Alpha);
        if (outs.Semantic is not null) g.Output(outs.Semantic, N.Semantic);
        return g.ToBytes(new OnnxExportOptions { DocString = $"UlcAg eval graph: {o.Method.Name()}{(batch is null ? "" : $", batch {batch}")}" });
    }
}
