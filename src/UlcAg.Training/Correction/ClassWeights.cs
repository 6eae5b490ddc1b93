namespace UlcAg.Training.Correction;

/// <summary>eq. 2: gamma_j = 1 - N_j / N over the batch's current labels, given per sample as gamma_{y_i}.</summary>
public static class ClassWeights
{
    public static void PerSample(ReadOnlySpan<long> labels, int classes, Span<float> gamma)
    {
        Span<int> counts = stackalloc int[classes];
        foreach (var y in labels) counts[(int)y]++;
        for (var i = 0; i < labels.Length; i++) gamma[i] = 1f - (float)counts[(int)labels[i]] / labels.Length;
    }

    /// <summary>
    /// What the train step is fed for L_wce (eq. 3): eq. 2's weights, or ones when
    /// <paramref name="enabled"/> is false (<c>ulcag.class_weights: false</c>, alpha alone scales the logits).
    /// </summary>
    public static void Feed(ReadOnlySpan<long> labels, int classes, Span<float> gamma, bool enabled)
    {
        if (enabled) PerSample(labels, classes, gamma);
        else gamma[..labels.Length].Fill(1f);
    }
}
