namespace UlcAg.Graph;

/// <summary>Outputs of a training-mode batch norm: normalized values and the updated running statistics.</summary>
public sealed record BatchNormTrainOutputs(Value Y, Value RunningMean, Value RunningVar);

// Batch normalization. The training form is a composite of primitives (the CUDA provider
// refuses BatchNormalization with training_mode=1 at opset >= 14), so it gets its gradient
// from the primitives' rules.
public sealed partial class GraphBuilder
{
    /// <summary>
    /// Training-mode batch norm over all axes but 1 (NCHW or NC). Normalizes with the biased
    /// batch variance; updates running_var with the unbiased one (n/(n-1)), as PyTorch does, so
    /// that weights move between UlcAg and PyTorch without a change of meaning.
    /// </summary>
    public BatchNormTrainOutputs BatchNormTrain(Value x, Value gamma, Value beta, Value runningMean, Value runningVar, double momentum = 0.1, double eps = 1e-5)
    {
        var axes = Enumerable.Range(0, x.Rank).Where(a => a != 1).Select(a => (long)a).ToArray();
        var bshape = KeepDimsShape(x.Shape, axes);
        var mean = ReduceMean(x, axes, keepDims: true);
        var xc = x - mean;
        var variance = ReduceMean(xc * xc, axes, keepDims: true);
        var scale = Reshape(gamma, bshape) / Sqrt(variance + eps);
        var y = xc * scale + Reshape(beta, bshape);

        var count = axes.Aggregate(1L, (n, a) => n * x.Shape[(int)a]);
        var c = x.Shape[1];
        var batchMean = StopGradient(Reshape(mean, c));
        var batchVar = StopGradient(Reshape(variance, c)) * ((double)count / Math.Max(count - 1, 1));
        var newMean = runningMean * (1 - momentum) + batchMean * momentum;
        var newVar = runningVar * (1 - momentum) + batchVar * momentum;
        return new BatchNormTrainOutputs(y, newMean, newVar);
    }

    /// <summary>Inference-mode batch norm with stored statistics (ONNX BatchNormalization).</summary>
    public Value BatchNormInference(Value x, Value gamma, Value beta, Value mean, Value variance, double eps = 1e-5)
        => Op1("BatchNormalization", [x, gamma, beta, mean, variance], x.Type, x.Shape, new Dictionary<string, object> { ["epsilon"] = eps });
}
