namespace UlcAg.Training.Correction;

/// <summary>The relabel rules that run between steps.</summary>
public static class Relabeling
{
    /// <summary>
    /// eq. 9-10 as written for the low-confidence samples of a batch: a sample takes the class of the
    /// nearest other template when the template of its original label ("org") is farther by more than
    /// <paramref name="margin"/>, and its original label otherwise (so a later batch can undo a change).
    /// Samples whose original class has no template yet are left alone. <paramref name="logits"/>
    /// ([N, classes]) only feed the diagnostics of each change.
    /// </summary>
    public static List<RelabelEvent> ByTemplates(SemanticTemplates templates, ReadOnlySpan<int> samples, ReadOnlySpan<float> semantic,
        ReadOnlySpan<float> alpha, ReadOnlySpan<bool> high, ReadOnlySpan<float> logits, LabelStore labels, int epoch, double margin)
    {
        var events = new List<RelabelEvent>();
        var classes = logits.Length / samples.Length;
        var ranks = LowGroupRanks(alpha, high);
        Span<float> p = stackalloc float[classes];
        for (var i = 0; i < samples.Length; i++)
        {
            if (high[i]) continue;
            var sample = samples[i];
            var org = labels.Initial[sample];
            if (!templates.Has(org)) continue;
            var s = semantic.Slice(i * templates.Size, templates.Size);
            var own = templates.Distance(org, s);
            var (best, bestDistance) = templates.Nearest(s, except: org);
            var label = best >= 0 && own - bestDistance > margin ? best : org;
            var current = labels.Current[sample];
            if (label == current) continue;
            SampleEvidence.Softmax(logits.Slice(i * classes, classes), p);
            labels.Set(sample, label);
            events.Add(new RelabelEvent(sample, epoch, current, label, alpha[i], templates.Distance(current, s), templates.Distance(label, s))
            {
                PLabel = p[current],
                PNew = p[label],
                Predicted = SampleEvidence.ArgMax(p),
                Rank = ranks[i],
            });
        }
        return events;
    }

    /// <summary>Each low-group sample's rank by alpha within the group (1 = lowest); 0 for the high group.</summary>
    private static int[] LowGroupRanks(ReadOnlySpan<float> alpha, ReadOnlySpan<bool> high)
    {
        var a = alpha.ToArray();
        var h = high.ToArray();
        var ranks = new int[a.Length];
        var order = Enumerable.Range(0, a.Length).Where(i => !h[i]).OrderBy(i => a[i]).ThenBy(i => i).ToList();
        for (var r = 0; r < order.Count; r++) ranks[order[r]] = r + 1;
        return ranks;
    }

    /// <summary>
    /// SCN's rule (Wang et al. 2020): relabel to the predicted class when its probability exceeds the
    /// current label's by more than <paramref name="threshold"/>. As its authors' code does it
    /// (<paramref name="asInCode"/>): every sample of the batch, on the softmax of the alpha-scaled
    /// logits; as the paper's text reads: the low-importance samples only (<paramref name="high"/>
    /// false), on the softmax of the logits.
    /// </summary>
    public static List<RelabelEvent> Scn(ReadOnlySpan<int> samples, ReadOnlySpan<float> logits, int classes, ReadOnlySpan<float> alpha,
        ReadOnlySpan<bool> high, LabelStore labels, int epoch, double threshold, bool asInCode)
    {
        var events = new List<RelabelEvent>();
        Span<float> scaled = stackalloc float[classes];
        Span<float> p = stackalloc float[classes];
        for (var i = 0; i < samples.Length; i++)
        {
            if (!asInCode && high[i]) continue;
            var row = logits.Slice(i * classes, classes);
            for (var c = 0; c < classes; c++) scaled[c] = asInCode ? alpha[i] * row[c] : row[c];
            SampleEvidence.Softmax(scaled, p);
            var argmax = SampleEvidence.ArgMax(p);
            var sample = samples[i];
            var org = labels.Current[sample];
            if (argmax != org && p[argmax] - p[org] > threshold)
            {
                labels.Set(sample, argmax);
                events.Add(new RelabelEvent(sample, epoch, org, argmax, alpha[i], 1 - p[org], 1 - p[argmax])
                {
                    PLabel = p[org],
                    PNew = p[argmax],
                    Predicted = argmax,
                });
            }
        }
        return events;
    }
}
