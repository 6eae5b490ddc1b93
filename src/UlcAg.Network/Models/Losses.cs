using UlcAg.Graph;

namespace UlcAg.Network.Models;

/// <summary>The loss terms of a method: L_cls (CE, SCN's CE or L_wce), L_rr, L_au; absent terms are 0.</summary>
public sealed record MethodLosses(Value Cls, Value Rr, Value Au);

/// <summary>The paper's losses (eq. 3, 4, 7) written with LogSoftmax, one-hot and reductions.</summary>
public static class Losses
{
    /// <summary>
    /// The loss terms of one batch. For a micro-batch of an accumulating step, <paramref name="share"/>
    /// is micro/effective batch size: the means over the batch (L_cls, and L_rr taken within the
    /// micro-batch) become this micro-batch's share of the effective batch's mean, and
    /// <paramref name="auCount"/> (the effective batch's number of samples with AU labels) replaces
    /// the batch's own count in L_au's mean; summed over the micro-batches, each term is the
    /// effective batch's.
    /// </summary>
    public static MethodLosses Compute(GraphBuilder g, NetworkOptions o, UlcAgNetwork.Outputs outs, Value labels, Value gamma, Value? auTargets, Value? auMask, Value margin,
        double share = 1, Value? auCount = null)
    {
        var zero = g.Scalar(0);
        var logits = outs.Logits;
        var alpha = outs.Alpha;
        Value cls;
        if (o.Method.HasWeightedCe())
        {
            // eq. 3: every logit of sample i scaled by alpha_i * gamma_{y_i}
            cls = CrossEntropy(g, logits * g.Unsqueeze(alpha! * gamma, 1), labels, o.Classes);
        }
        else if (o.Method == Method.Scn)
        {
            cls = CrossEntropy(g, logits * g.Unsqueeze(alpha!, 1), labels, o.Classes);
        }
        else
        {
            cls = CrossEntropy(g, logits, labels, o.Classes);
        }
        var rr = o.Method.HasRankRegularization() ? RankRegularization(g, alpha!, o.RrRatio, margin) : zero;
        var au = outs.AuScores is not null ? AuLoss(g, outs.AuScores, auTargets!, auMask!, o.AuLossAlpha ? alpha : null, o.AlphaThroughAuLoss, auCount, o.AuFalsePositiveRates) : zero;
        if (share == 1) return new MethodLosses(cls, rr, au);
        return new MethodLosses(cls * share, ReferenceEquals(rr, zero) ? zero : rr * share, au);
    }

    /// <summary>Mean cross-entropy of int64 <paramref name="labels"/> under <paramref name="logits"/> [N, C].</summary>
    public static Value CrossEntropy(GraphBuilder g, Value logits, Value labels, int classes)
        => -g.MeanAll(g.ReduceSum(g.LogSoftmax(logits) * g.OneHot(labels, classes), [1]));

    /// <summary>
    /// eq. 4: max(0, theta - (mean alpha of the top ratio*N - mean alpha of the rest)). The split
    /// is made by TopK inside the graph; gradients reach the selected alphas, not the selection.
    /// </summary>
    public static Value RankRegularization(GraphBuilder g, Value alpha, double ratio, Value margin)
    {
        var n = alpha.Shape[0];
        var k = ConfidenceGroups.HighCount((int)n, ratio);
        var (high, _) = g.TopK(alpha, k);
        var sumHigh = g.SumAll(high);
        var avgHigh = sumHigh * (1.0 / k);
        var avgLow = (g.SumAll(alpha) - sumHigh) * (1.0 / (n - k));
        return g.Relu(margin - (avgHigh - avgLow));
    }

    /// <summary>Whether every rate is a false-positive rate the forward-corrected L_au accepts: in (0, 1), so that log q and log(1 - rho) stay finite.</summary>
    public static bool AreValidFalsePositiveRates(IEnumerable<float> rates) => rates.All(r => r > 0 && r < 1);

    /// <summary>
    /// eq. 7: sum over AUs of binary cross-entropy, weighted by alpha (stop-gradient unless
    /// <paramref name="alphaGradient"/>), averaged over the samples that have AU labels.
    /// BCE from scores s and targets z, stably: max(s, 0) - s z + log(1 + exp(-|s|)).
    /// <paramref name="count"/>, when given, is the number of labelled samples to average over
    /// (an accumulating step's effective batch); otherwise the batch's own count.
    /// With <paramref name="falsePositiveRates"/> rho (one per AU) the BCE is taken against the
    /// label's probability under a detector that reports an absent AU as present at rate rho,
    /// q = rho + (1 - rho) sigmoid(s) (forward loss correction, Patrini et al., 2017):
    /// -z log q - (1 - z) (log(1 - rho) - softplus(s)). A positive label on a face the branch
    /// finds without the AU then costs at most -log rho and stops pulling (its gradient goes as
    /// sigmoid(s) / rho), while a face the branch finds with the AU learns almost as under BCE.
    /// </summary>
    public static Value AuLoss(GraphBuilder g, Value scores, Value targets, Value mask, Value? alpha, bool alphaGradient, Value? count = null,
        float[]? falsePositiveRates = null)
    {
        var softplus = g.Relu(scores) + g.Log(g.Exp(-g.Abs(scores)) + 1.0);
        Value perAu;
        if (falsePositiveRates is null)
        {
            perAu = softplus - scores * targets;
        }
        else
        {
            // rho > 0 keeps log q finite where sigmoid(s) underflows (s below about -88 in float32).
            if (!AreValidFalsePositiveRates(falsePositiveRates)) throw new ArgumentOutOfRangeException(nameof(falsePositiveRates), "each false-positive rate must be in (0, 1)");
            var rho = g.Constant(TensorData.Of(falsePositiveRates, falsePositiveRates.Length));
            var logQ = g.Log(rho + (1.0 - rho) * g.Sigmoid(scores));
            var logNotQ = g.Log(1.0 - rho) - softplus;
            perAu = -(targets * logQ) - (1.0 - targets) * logNotQ;
        }
        var perSample = g.ReduceSum(perAu, [1]);
        var weight = alpha is null ? mask : mask * (alphaGradient ? alpha : g.StopGradient(alpha));
        var denominator = g.Max(count ?? g.SumAll(mask), g.Scalar(1));
        return g.SumAll(perSample * weight) / denominator;
    }
}
