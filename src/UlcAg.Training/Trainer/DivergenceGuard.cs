using UlcAg.Training.Metrics;

namespace UlcAg.Training.Trainer;

/// <summary>
/// Recognizes a training run that has diverged, so that it stops instead of finishing with a model
/// that answers one class for every input. A non-finite loss is the obvious sign, but a run can
/// diverge with a finite loss: the logits saturate the softmax, alpha becomes NaN, or batch norm's
/// running statistics explode (they are not part of the loss, yet the exported model uses them).
/// The checks read what the trainer already has: the step's outputs each step, the weights once an
/// epoch, and the validation predictions of the model kept at the end.
/// </summary>
public static class DivergenceGuard
{
    /// <summary>
    /// Logits beyond this magnitude mean the softmax answers 0 or 1 for everything; a sound
    /// expression classifier's logits stay within tens.
    /// </summary>
    public const float MaxLogit = 1e4f;

    /// <summary>
    /// Batch-norm running means and variances beyond this magnitude mean the activations exploded;
    /// inputs normalized as the backbone expects keep them many orders of magnitude lower.
    /// </summary>
    public const float MaxRunningStatistic = 1e8f;

    /// <summary>What is wrong with one step's loss, logits and alpha, or null when they look sound.</summary>
    public static string? CheckStep(float loss, ReadOnlySpan<float> logits, ReadOnlySpan<float> alpha, int count, int classes)
    {
        if (!float.IsFinite(loss)) return $"the loss became {loss}";
        if (FirstBad(alpha[..count], float.MaxValue) is { } a) return $"alpha became {alpha[a]} (sample {a + 1} of the batch)";
        if (FirstBad(logits[..(count * classes)], MaxLogit) is { } l)
            return $"a logit became {logits[l]} (sample {l / classes + 1} of the batch; sound logits stay within ±{MaxLogit:0e0})";
        return null;
    }

    /// <summary>What is wrong with the network's weights and batch-norm running statistics, or null.</summary>
    public static string? CheckWeights(IReadOnlyDictionary<string, float[]> weights)
    {
        foreach (var (name, values) in weights)
        {
            var statistic = name.EndsWith(".running_mean", StringComparison.Ordinal) || name.EndsWith(".running_var", StringComparison.Ordinal);
            if (FirstBad(values, statistic ? MaxRunningStatistic : float.MaxValue) is { } i)
                return statistic
                    ? $"the batch-norm statistic {name} reached {values[i]} (sound values stay below {MaxRunningStatistic:0e0})"
                    : $"the weight {name} became {values[i]}";
        }
        return null;
    }

    /// <summary>
    /// The mean top softmax probability from which a collapse counts as divergence: a diverged
    /// network answers its one class with p = 1.0, an undertrained one hesitates.
    /// </summary>
    public const double SaturatedConfidence = 0.99;

    /// <summary>
    /// Steps a run must have trained before a collapse counts as divergence. Before that the batch-norm
    /// running statistics have not settled, and a tiny or very short run can answer one class with
    /// saturated confidence without having diverged; it gets a warning instead.
    /// </summary>
    public const int CollapseMinSteps = 100;

    /// <summary>
    /// Whether the model collapsed to one class: every prediction is the same class although the true
    /// labels have several. With saturated confidence (<see cref="SaturatedConfidence"/>) after
    /// <see cref="CollapseMinSteps"/> steps that is divergence and the model is not a result; otherwise
    /// it is a model that has not learned yet (a short or tiny run), worth a warning only.
    /// </summary>
    /// <param name="steps">The steps the run has trained.</param>
    /// <param name="confusion">Truth against prediction on <paramref name="split"/>.</param>
    /// <param name="confidence">The mean softmax probability of the predicted class.</param>
    /// <param name="classNames">The class names, for the message.</param>
    /// <param name="split">The split's name, for the message.</param>
    public static (string Text, bool Diverged)? CheckPredictions(ConfusionMatrix confusion, double confidence, long steps, IReadOnlyList<string> classNames, string split)
    {
        var classes = Enumerable.Range(0, confusion.ClassCount);
        var predicted = classes.Where(c => confusion.PredictedCount(c) > 0).ToList();
        var present = classes.Count(c => confusion.Support(c) > 0);
        if (predicted.Count != 1 || present < 2) return null;
        var diverged = steps >= CollapseMinSteps && (!double.IsFinite(confidence) || confidence >= SaturatedConfidence);
        return ($"the model answers {classNames[predicted[0]]} for all {confusion.Total} {split} images, which hold {present} classes " +
            $"(mean probability {confidence:0.000}{(diverged ? "" : "; train longer or check the labels")})", diverged);
    }

    /// <summary>The softmax probability of the largest of <paramref name="logits"/>.</summary>
    public static double TopProbability(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        var sum = 0.0;
        foreach (var l in logits) sum += Math.Exp(l - max);
        return 1 / sum;
    }

    /// <summary>The index of the first value that is not finite or exceeds <paramref name="limit"/> in magnitude, or null.</summary>
    private static int? FirstBad(ReadOnlySpan<float> values, float limit)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]) || Math.Abs(values[i]) > limit) return i;
        }
        return null;
    }
}

/// <summary>Training diverged (<see cref="DivergenceGuard"/>); the message says what, where, and what to do.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
