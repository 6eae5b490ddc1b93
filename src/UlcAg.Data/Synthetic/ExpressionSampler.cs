namespace UlcAg.Data.Synthetic;

/// <summary>The AUs drawn for one face, and the second prototype it blends when it is ambiguous.</summary>
public sealed record SampledExpression(AuIntensities Aus, BasicExpression? BlendedWith, double BlendRatio);

/// <summary>
/// Draws the action units of a face of a given class from its EMFACS prototype: a shared intensity
/// for the prototype AUs with per-AU jitter, companion AUs, prototype AUs other than the key AU sometimes missing, stray
/// AUs sometimes present, and a fraction of blends of two prototypes. Every face keeps its label
/// honest: its AUs are explained best by its own prototype (<see cref="EmfacsPrototypes.Nearest(AuIntensities)"/>);
/// a draw that is not is redrawn.
/// </summary>
public static class ExpressionSampler
{
    private const int MaxAttempts = 12;

    /// <summary>Draws the AUs of a face labelled <paramref name="label"/> with the effective knobs of <paramref name="o"/>.</summary>
    public static SampledExpression Sample(SeededRandom rng, BasicExpression label, SyntheticFaceOptions o)
    {
        var low = Math.Clamp(1 - (1 - o.MinAuIntensity) * o.Difficulty, 0.1, 1);
        var jitter = Math.Min(0.15, 0.15 * o.Difficulty);
        var strength = rng.Uniform(low, 1);

        if (rng.Chance(o.ScaledProbability(o.AmbiguousFraction)))
        {
            var others = BasicExpressions.All.Where(c => c != label).ToArray();
            var second = others[rng.Next(others.Length)];
            var ratio = rng.Uniform(0.5, 0.95);
            var primary = Prototype(rng, label, strength, jitter);
            var secondary = Prototype(rng, second, strength, jitter);
            for (var attempt = 0; attempt < MaxAttempts; attempt++, ratio *= 0.85)
            {
                var blend = Blend(primary, secondary, ratio);
                if (EmfacsPrototypes.Nearest(blend) == label)
                    return new SampledExpression(blend, second, ratio);
            }
        }

        var dropP = o.ScaledProbability(o.AuDropProbability);
        var strayP = o.ScaledProbability(o.StrayAuProbability);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var values = Prototype(rng, label, strength, jitter);
            foreach (var au in EmfacsPrototypes.AusOf(label))
            {
                if (au != EmfacsPrototypes.KeyAuOf(label) && rng.Chance(dropP))
                    values[FacsAus.IndexOf(au)] = 0;
            }
            foreach (var (au, p) in EmfacsPrototypes.CompanionsOf(label))
            {
                if (rng.Chance(p))
                    values[FacsAus.IndexOf(au)] = (float)(strength * rng.Uniform(0.6, 1.0));
            }
            var strays = rng.Chance(strayP) ? (rng.Chance(strayP / 2) ? 2 : 1) : 0;
            for (var s = 0; s < strays; s++)
            {
                var k = rng.Next(FacsAus.Count);
                if (values[k] == 0)
                    values[k] = (float)rng.Uniform(0.15, 0.5);
            }
            var aus = AuIntensities.FromVector(values);
            if (EmfacsPrototypes.Nearest(aus) == label)
                return new SampledExpression(aus, null, 0);
        }
        return new SampledExpression(AuIntensities.FromVector(Prototype(rng, label, strength, 0)), null, 0);
    }

    private static float[] Prototype(SeededRandom rng, BasicExpression c, double strength, double jitter)
    {
        var values = new float[FacsAus.Count];
        foreach (var au in EmfacsPrototypes.AusOf(c))
            values[FacsAus.IndexOf(au)] = (float)Math.Clamp(strength * (1 + rng.Symmetric(jitter)), 0.1, 1);
        return values;
    }

    private static AuIntensities Blend(float[] primary, float[] secondary, double ratio)
    {
        var values = new float[FacsAus.Count];
        for (var k = 0; k < values.Length; k++)
            values[k] = Math.Max(primary[k], (float)(secondary[k] * ratio));
        return AuIntensities.FromVector(values);
    }
}
