namespace UlcAg.Training.Correction;

/// <summary>The relabel rules that run between steps.</summary>
public static class Relabeling
{
    /// <summary>
    /// eq. 9-10 for the low-confidence samples of a batch: a sample takes the class of the
    /// nearest other template when its own class's template is farther by more than
    /// <paramref name="margin"/>. Samples whose class has no template yet are left alone.
    /// </summary>
    public static List<RelabelEvent> ByTemplates(SemanticTemplates templates, ReadOnlySpan<int> samples, ReadOnlySpan<float> semantic,
        ReadOnlySpan<float> alpha, ReadOnlySpan<bool> high, LabelStore labels, int epoch, double margin)
    {
        var events = new List<RelabelEvent>();
        for (var i = 0; i < samples.Length; i++)
        {
            if (high[i]) continue;
            var sample = samples[i];
            var org = labels.Current[sample];
            if (!templates.Has(org)) continue;
            var s = semantic.Slice(i * templates.Size, templates.Size);
            var own = templates.Distance(org, s);
            var (best, bestDistance) = templates.Nearest(s, except: org);
            if (best >= 0 && own - bestDistance > margin)
            {
                labels.Set(sample, best);
                events.Add(new RelabelEvent(sample, epoch, org, best, alpha[i], own, bestDistance));
            }
        }
        return events;
    }

    /// <summary>
    /// SCN's rule (Wang et al. 2020) for the low-importance samples: relabel to the predicted
    /// class when its probability exceeds the given label's by more than <paramref name="threshold"/>.
    /// </summary>
    public static List<RelabelEvent> Scn(ReadOnlySpan<int> samples, ReadOnlySpan<float> logits, int classes, ReadOnlySpan<float> alpha,
        ReadOnlySpan<bool> high, LabelStore labels, int epoch, double threshold)
    {
        var events = new List<RelabelEvent>();
        Span<double> p = stackalloc double[classes];
        for (var i = 0; i < samples.Length; i++)
        {
            if (high[i]) continue;
            var row = logits.Slice(i * classes, classes);
            var max = double.MinValue;
            foreach (var v in row) max = Math.Max(max, v);
            double z = 0;
            for (var c = 0; c < classes; c++) z += p[c] = Math.Exp(row[c] - max);
            var argmax = 0;
            for (var c = 0; c < classes; c++)
            {
                p[c] /= z;
                if (p[c] > p[argmax]) argmax = c;
            }
            var sample = samples[i];
            var org = labels.Current[sample];
            if (argmax != org && p[argmax] - p[org] > threshold)
            {
                labels.Set(sample, argmax);
                events.Add(new RelabelEvent(sample, epoch, org, argmax, alpha[i], 1 - p[org], 1 - p[argmax]));
            }
        }
        return events;
    }
}
