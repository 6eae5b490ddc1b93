namespace UlcAg.Training.Correction;

/// <summary>
/// Per-class semantic templates (eq. 8): T_j = (1/K_j) sum of alpha_k s_k over the batch's
/// high-confidence samples labelled j, blended into a running template with
/// <see cref="Momentum"/> ("dynamically updated throughout the whole training"). A class with
/// no high-confidence sample in a batch keeps its template; a class never seen has none.
/// Templates are compared by eq. 9's cosine distance, or by the Euclidean distance in a whitened
/// space (<see cref="TemplateSpace"/>).
/// </summary>
public sealed class SemanticTemplates(int classes, int size, double momentum, TemplateDistance distance = TemplateDistance.Cosine)
{
    private readonly float[][] _templates = new float[classes][];

    public int Classes { get; } = classes;
    public int Size { get; } = size;
    public double Momentum { get; } = momentum;
    public TemplateDistance DistanceKind { get; } = distance;

    public bool Has(int c) => _templates[c] is not null;
    public ReadOnlySpan<float> Template(int c) => _templates[c];

    /// <summary>Updates from one batch: <paramref name="semantic"/> [N, Size], <paramref name="high"/> marks the high-confidence group.</summary>
    public void Update(ReadOnlySpan<float> semantic, ReadOnlySpan<float> alpha, ReadOnlySpan<long> labels, ReadOnlySpan<bool> high)
    {
        var sums = new double[Classes][];
        var counts = new int[Classes];
        for (var i = 0; i < labels.Length; i++)
        {
            if (!high[i]) continue;
            var c = (int)labels[i];
            sums[c] ??= new double[Size];
            counts[c]++;
            var s = semantic.Slice(i * Size, Size);
            for (var k = 0; k < Size; k++) sums[c][k] += alpha[i] * s[k];
        }
        for (var c = 0; c < Classes; c++)
        {
            if (counts[c] == 0) continue;
            var batch = sums[c].Select(v => (float)(v / counts[c])).ToArray();
            if (_templates[c] is null)
            {
                _templates[c] = batch;
                continue;
            }
            for (var k = 0; k < Size; k++) _templates[c][k] = (float)(Momentum * _templates[c][k] + (1 - Momentum) * batch[k]);
        }
    }

    /// <summary>eq. 9: 1 - cos(t_j, s); or |t_j - s| for <see cref="TemplateDistance.Euclidean"/>.</summary>
    public double Distance(int c, ReadOnlySpan<float> s)
    {
        var t = _templates[c];
        if (DistanceKind == TemplateDistance.Euclidean)
        {
            double sq = 0;
            for (var k = 0; k < Size; k++) sq += (t[k] - s[k]) * (t[k] - s[k]);
            return Math.Sqrt(sq);
        }
        double dot = 0, nt = 0, ns = 0;
        for (var k = 0; k < Size; k++)
        {
            dot += t[k] * s[k];
            nt += t[k] * t[k];
            ns += s[k] * s[k];
        }
        return nt == 0 || ns == 0 ? 1 : 1 - dot / Math.Sqrt(nt * ns);
    }

    /// <summary>The class whose template is nearest to <paramref name="s"/> (eq. 9), skipping <paramref name="except"/>; -1 when none has a template.</summary>
    public (int Class, double Distance) Nearest(ReadOnlySpan<float> s, int except = -1)
    {
        var (best, bestDistance) = (-1, double.MaxValue);
        for (var c = 0; c < Classes; c++)
        {
            if (c == except || !Has(c)) continue;
            var d = Distance(c, s);
            if (d < bestDistance) (best, bestDistance) = (c, d);
        }
        return (best, bestDistance);
    }

    /// <summary>All templates (null where a class has none), for checkpoints.</summary>
    public float[]?[] Snapshot() => _templates.Select(t => t?.ToArray()).ToArray();

    public void Restore(float[]?[] templates)
    {
        if (templates.Length != Classes) throw new ArgumentException($"{templates.Length} templates for {Classes} classes");
        for (var c = 0; c < Classes; c++) _templates[c] = templates[c]?.ToArray()!;
    }
}

/// <summary>How a sample's AU vector is compared with a template.</summary>
public enum TemplateDistance
{
    /// <summary>eq. 9: one minus the cosine similarity (0 to 2).</summary>
    Cosine,

    /// <summary>The Euclidean distance, for templates in a whitened space (<see cref="TemplateSpace"/>).</summary>
    Euclidean,
}
