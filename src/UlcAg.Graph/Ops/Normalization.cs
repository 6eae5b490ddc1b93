using UlcAg.Graph.Autodiff;

namespace UlcAg.Graph;

/// <summary>Outputs of a training-mode batch norm: normalized values and the updated running statistics.</summary>
public sealed record BatchNormTrainOutputs(Value Y, Value RunningMean, Value RunningVar);

// Batch normalization. The training form is a composite: primitives in the ONNX graph (the CUDA
// provider refuses BatchNormalization with training_mode=1 at opset >= 14), one closed-form
// gradient rule for autodiff.
public sealed partial class GraphBuilder
{
    /// <summary>Op type of the training-mode batch norm composite.</summary>
    public const string BatchNormTrainOp = "BatchNormTrain";

    /// <summary>
    /// Training-mode batch norm over all axes but 1 (NCHW or NC). Normalizes with the biased
    /// batch variance; updates running_var with the unbiased one (n/(n-1)), as PyTorch does, so
    /// that weights move between UlcAg and PyTorch without a change of meaning.
    /// </summary>
    public BatchNormTrainOutputs BatchNormTrain(Value x, Value gamma, Value beta, Value runningMean, Value runningVar, double momentum = 0.1, double eps = 1e-5)
    {
        var axes = BatchNormAxes(x);
        var count = axes.Aggregate(1L, (n, a) => n * x.Shape[(int)a]);
        var c = x.Shape[1];
        // Two passes for the statistics (mean, then the centered sum of squares) keep the
        // variance accurate when |mean| >> std; the normalization itself is one pass.
        var node = Composite(BatchNormTrainOp, [x, gamma, beta], () =>
        {
            // An NCHW input that no lowered convolution made (the stem's; every one with ONNX Conv)
            // is centered and normalized as a view [N, C, H*W], so that those buffers have a shape
            // that no backward tensor has. ONNX Runtime's allocation plan holds a freed buffer for
            // the next tensor of exactly its shape (see WinogradTiles): in ResNet's stem, x - mean
            // and the output (103 MB each at 224x224, batch 32) waited, unused, from the forward
            // pass for this rule's dy * k. A lowered convolution's output keeps its rank, which
            // the NHWC layout pass turns into rows without a transpose.
            var view = x.Rank > 3 && x.Producer is not { IsLayoutBoundary: true };
            var input = view ? Reshape(x, x.Shape[0], c, x.Shape.Size / (x.Shape[0] * c)) : x;
            var mean = ReduceMean(x, axes, keepDims: true);
            var centered = view ? input - Reshape(mean, 1, c, 1) : x - mean;
            var variance = Reshape(ReduceSumSquare(centered, BatchNormAxes(centered), keepDims: true), mean.Shape) * (1.0 / count);
            var y = BatchNormInference(input, gamma, beta, Reshape(mean, c), Reshape(variance, c), eps);
            return [view ? Reshape(y, x.Shape) : y, mean, variance];
        }, new Dictionary<string, object> { ["epsilon"] = eps });
        var (batchMean, variance) = (node.Outputs[1], node.Outputs[2]);

        var batchVar = StopGradient(Reshape(variance, c)) * ((double)count / Math.Max(count - 1, 1));
        var newMean = runningMean * (1 - momentum) + StopGradient(Reshape(batchMean, c)) * momentum;
        var newVar = runningVar * (1 - momentum) + batchVar * momentum;
        return new BatchNormTrainOutputs(node.Outputs[0], newMean, newVar);
    }

    /// <summary>Inference-mode batch norm with stored statistics (ONNX BatchNormalization).</summary>
    public Value BatchNormInference(Value x, Value gamma, Value beta, Value mean, Value variance, double eps = 1e-5)
        => Op1("BatchNormalization", [x, gamma, beta, mean, variance], x.Type, x.Shape, new Dictionary<string, object> { ["epsilon"] = eps });

    /// <summary>
    /// Per-channel <c>x * scale + shift</c> (channel axis 1; scale and shift broadcastable over
    /// x, one value per channel) in one pass: BatchNormalization with zero mean and
    /// variance + epsilon = 1. Not differentiable: for gradient rules and fixed input transforms.
    /// </summary>
    public Value ChannelAffine(Value x, Value scale, Value shift)
    {
        var c = x.Shape[1];
        var zeros = Constant(TensorData.Of(new float[c], c));
        // Variance 1 - 2^-17 and epsilon 2^-17 add up to exactly 1 in float32, so the op is the
        // plain affine. Epsilon 0 would be a zero-valued attribute, which a protobuf 3 writer (as
        // this one) leaves off the wire and strict readers (OpenCV 4.6's ONNX importer) reject.
        var variance = Constant(TensorData.Of(Enumerable.Repeat(1f - AffineEpsilon, (int)c).ToArray(), c));
        return Op1("BatchNormalization", [x, Reshape(scale, c), Reshape(shift, c), zeros, variance], x.Type, x.Shape,
            new Dictionary<string, object> { ["epsilon"] = (double)AffineEpsilon });
    }

    private const float AffineEpsilon = 1f / (1 << 17);

    internal static long[] BatchNormAxes(Value x) => Enumerable.Range(0, x.Rank).Where(a => a != 1).Select(a => (long)a).ToArray();
}

internal static class NormalizationGradients
{
    internal static void Register(GradientRegistry r) => r.Register(GraphBuilder.BatchNormTrainOp, BatchNormTrain);

    /// <summary>
    /// Closed-form batch norm backward. With x̂ = (x - μ)σ⁻¹, y = γx̂ + β and n elements per channel:
    /// dγ = Σ dy x̂,  dβ = Σ dy,  dx = γσ⁻¹ (dy - Σdy/n - x̂ Σ(dy x̂)/n),
    /// written as dx = k dy - (e x + f) with per-channel k = γσ⁻¹, e = kσ⁻¹ Σ(dy x̂)/n and
    /// f = k Σdy/n - e μ, so the large tensors are read by two reductions and three passes.
    /// Gradients of the batch mean and variance outputs (zero when only the running statistics
    /// use them) are added: dμ/n, and dσ² 2(x - μ)/n.
    /// </summary>
    private static Value?[] BatchNormTrain(GradContext c)
    {
        var g = c.G;
        var (x, gamma) = (c.I(0), c.I(1));
        var (mean, variance) = (c.O(1), c.O(2));
        var axes = GraphBuilder.BatchNormAxes(x);
        var n = (double)axes.Aggregate(1L, (p, a) => p * x.Shape[(int)a]);
        var bshape = GraphBuilder.KeepDimsShape(x.Shape, axes);
        var invStd = g.Reciprocal(g.Sqrt(variance + c.Node.Float("epsilon", 1e-5)));

        Value? dx = null, dGamma = null, dBeta = null;
        if (c.GO(0) is { } dy)
        {
            var sumDy = g.ReduceSum(dy, axes, keepDims: true);
            var sumDyXhat = (g.ReduceSum(dy * x, axes, keepDims: true) - mean * sumDy) * invStd;
            dGamma = g.Reshape(sumDyXhat, gamma.Shape);
            dBeta = g.Reshape(sumDy, gamma.Shape);
            var k = g.Reshape(gamma, bshape) * invStd;
            var e = k * invStd * sumDyXhat * (1 / n);
            var f = k * sumDy * (1 / n) - e * mean;
            dx = dy * k - g.ChannelAffine(x, e, f);
        }
        if (c.GO(1) is { } dMean)
        {
            var term = g.Expand(dMean * (1 / n), x.Shape);
            dx = dx is null ? term : dx + term;
        }
        if (c.GO(2) is { } dVar)
        {
            var term = (x - mean) * (dVar * (2 / n));
            dx = dx is null ? term : dx + term;
        }
        return [dx, dGamma, dBeta];
    }
}
