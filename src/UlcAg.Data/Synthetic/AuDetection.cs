namespace UlcAg.Data.Synthetic;

/// <summary>
/// AU labels of one image as an automatic detector (OpenFace 2.0) reports them, over the
/// modelled AUs (<see cref="FacsAus.Modelled"/> order): presence 0/1, intensity 0..5, and the
/// detector's confidence in its face fit.
/// </summary>
public sealed record AuDetection(float[] Presence, float[] Intensity, double Confidence)
{
    /// <summary>The exact labels of a face: presence where the intensity is above 0, intensity times 5, full confidence.</summary>
    public static AuDetection Exact(AuIntensities aus)
    {
        var v = aus.ToVector();
        return new AuDetection(v.Select(x => x > 0 ? 1f : 0f).ToArray(), v.Select(x => 5 * x).ToArray(), 1.0);
    }
}

/// <summary>
/// Simulates an automatic AU detector with a configurable error rate: every presence label is
/// flipped with a probability proportional to a weight, 1 for an absent AU and
/// missBias * (1.5 - intensity)^2 for a present one (so weak AUs are missed most), normalized so
/// the expected fraction of wrong labels per image equals the error rate. Intensities are the
/// true ones plus noise, low for missed AUs and moderate for false detections.
/// </summary>
public static class AuDetectorSimulator
{
    /// <summary>Pseudo-labels of a face with true AUs <paramref name="truth"/> in scene <paramref name="scene"/>.</summary>
    public static AuDetection Detect(SeededRandom rng, AuIntensities truth, FaceScene scene, double errorRate, double missBias)
    {
        var m = FacsAus.Count;
        var values = truth.ToVector();
        var weights = new double[m];
        double total = 0;
        for (var k = 0; k < m; k++)
        {
            weights[k] = values[k] > 0 ? missBias * (1.5 - values[k]) * (1.5 - values[k]) : 1.0;
            total += weights[k];
        }
        var presence = new float[m];
        var intensity = new float[m];
        for (var k = 0; k < m; k++)
        {
            var flip = rng.Chance(Math.Min(1.0, errorRate * m * weights[k] / total));
            var present = values[k] > 0;
            var noise = rng.Normal();
            presence[k] = present ^ flip ? 1f : 0f;
            intensity[k] = (present, flip) switch
            {
                (true, false) => (float)Math.Clamp(5 * values[k] + 0.35 * noise, 0.3, 5),
                (true, true) => (float)(5 * values[k] * rng.Uniform(0.05, 0.3)),
                (false, true) => (float)rng.Uniform(0.5, 2.0),
                _ => (float)Math.Min(5, Math.Abs(0.12 * noise)),
            };
        }
        var confidence = 0.97 - (scene.Occlusion == OcclusionKind.None ? 0 : 0.2) - 0.08 * Math.Min(1, scene.BlurSigma) + 0.015 * rng.Normal();
        return new AuDetection(presence, intensity, Math.Clamp(confidence, 0.5, 0.99));
    }
}
