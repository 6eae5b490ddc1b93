namespace UlcAg.Training.Correction;

/// <summary>The AU graph's edges: eq. 5 counted on the training AU labels, or random for the ablation.</summary>
public static class AuAdjacency
{
    /// <summary>
    /// A_pq = P(AU_p | AU_q) = OCC(p and q) / OCC(q) over the samples that have AU labels (eq. 5),
    /// then each row normalized to sum to one (eq. 6's A-bar). A row with no mass (AU p never
    /// co-occurs with anything) keeps a self-loop so that the node still sees itself.
    /// </summary>
    public static float[] FromLabels(IEnumerable<float[]?> auLabels, int m)
    {
        var co = new double[m, m];
        var occ = new double[m];
        foreach (var z in auLabels)
        {
            if (z is null) continue;
            for (var q = 0; q < m; q++)
            {
                if (z[q] < 0.5f) continue;
                occ[q]++;
                for (var p = 0; p < m; p++)
                {
                    if (z[p] >= 0.5f) co[p, q]++;
                }
            }
        }
        var a = new float[m * m];
        for (var p = 0; p < m; p++)
        {
            for (var q = 0; q < m; q++) a[p * m + q] = occ[q] > 0 ? (float)(co[p, q] / occ[q]) : 0f;
        }
        return RowNormalize(a, m);
    }

    /// <summary>Uniform random edges, row-normalized (Table II's "random" setting).</summary>
    public static float[] Random(int m, int seed)
    {
        var rng = new System.Random(seed);
        var a = new float[m * m];
        for (var i = 0; i < a.Length; i++) a[i] = (float)rng.NextDouble();
        return RowNormalize(a, m);
    }

    private static float[] RowNormalize(float[] a, int m)
    {
        for (var p = 0; p < m; p++)
        {
            var row = a.AsSpan(p * m, m);
            var sum = 0f;
            foreach (var v in row) sum += v;
            if (sum <= 0)
            {
                row[p] = 1;
                continue;
            }
            for (var q = 0; q < m; q++) row[q] /= sum;
        }
        return a;
    }
}
