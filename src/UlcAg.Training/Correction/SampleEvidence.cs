using UlcAg.Training.Methods;

namespace UlcAg.Training.Correction;

/// <summary>
/// What the network says about each training sample, averaged across epochs: the class
/// probabilities, alpha and s from the eval graph on the unaugmented image (<see cref="TrainingSetOutputs"/>),
/// blended epoch by epoch as running averages, new = momentum * old + (1 - momentum) * epoch.
/// Decisions taken on these see neither augmentation nor one noisy step.
/// </summary>
public sealed class SampleEvidence(int samples, int classes, int semanticSize, double momentum)
{
    public int Samples { get; } = samples;
    public int Classes { get; } = classes;
    public int SemanticSize { get; } = semanticSize;
    public double Momentum { get; } = momentum;

    /// <summary>Epochs averaged so far.</summary>
    public int Updates { get; private set; }

    /// <summary>Averaged softmax probabilities [N, C].</summary>
    public float[] Probabilities { get; } = new float[samples * classes];

    /// <summary>Averaged alpha [N].</summary>
    public float[] Alpha { get; } = new float[samples];

    /// <summary>Averaged s [N, SemanticSize].</summary>
    public float[] Semantic { get; } = new float[samples * semanticSize];

    public ReadOnlySpan<float> ProbabilitiesOf(int sample) => Probabilities.AsSpan(sample * Classes, Classes);

    public ReadOnlySpan<float> SemanticOf(int sample) => Semantic.AsSpan(sample * SemanticSize, SemanticSize);

    /// <summary>Blends one epoch's outputs in.</summary>
    public void Update(TrainingSetOutputs outputs)
    {
        var keep = Updates == 0 ? 0f : (float)Momentum;
        Span<float> p = stackalloc float[Classes];
        for (var i = 0; i < Samples; i++)
        {
            Softmax(outputs.Logits.AsSpan(i * Classes, Classes), p);
            Blend(Probabilities.AsSpan(i * Classes, Classes), p, keep);
        }
        Blend(Alpha, outputs.Alpha, keep);
        if (outputs.Semantic is not null) Blend(Semantic, outputs.Semantic, keep);
        Updates++;
    }

    /// <summary>The averages as one array (for checkpoints): updates, probabilities, alpha, s.</summary>
    public float[] Snapshot() => [Updates, .. Probabilities, .. Alpha, .. Semantic];

    public void Restore(float[] snapshot)
    {
        if (snapshot.Length != 1 + Probabilities.Length + Alpha.Length + Semantic.Length)
            throw new ArgumentException($"evidence of {snapshot.Length} values for {Samples} samples");
        Updates = (int)snapshot[0];
        var rest = snapshot.AsSpan(1);
        rest[..Probabilities.Length].CopyTo(Probabilities);
        rest.Slice(Probabilities.Length, Alpha.Length).CopyTo(Alpha);
        rest[(Probabilities.Length + Alpha.Length)..].CopyTo(Semantic);
    }

    private static void Blend(Span<float> average, ReadOnlySpan<float> value, float keep)
    {
        for (var k = 0; k < average.Length; k++) average[k] = keep * average[k] + (1 - keep) * value[k];
    }

    /// <summary>The index of the largest value (the first of equals).</summary>
    internal static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var k = 1; k < row.Length; k++) if (row[k] > row[best]) best = k;
        return best;
    }

    internal static void Softmax(ReadOnlySpan<float> logits, Span<float> p)
    {
        var max = float.MinValue;
        foreach (var v in logits) max = Math.Max(max, v);
        var z = 0.0;
        for (var c = 0; c < logits.Length; c++) z += p[c] = MathF.Exp(logits[c] - max);
        for (var c = 0; c < logits.Length; c++) p[c] = (float)(p[c] / z);
    }
}
