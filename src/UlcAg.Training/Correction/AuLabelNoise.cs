using UlcAg.Data;

namespace UlcAg.Training.Correction;

/// <summary>How often the training AU labels report an AU that the face does not show.</summary>
public static class AuLabelNoise
{
    /// <summary>The fewest samples a class needs to take part in <see cref="FalsePositiveRates"/>.</summary>
    public const int MinClassSamples = 20;

    /// <summary>The rates are kept in [<see cref="MinRate"/>, <see cref="MaxRate"/>].</summary>
    public const float MinRate = 1e-3f, MaxRate = 0.5f;

    /// <summary>
    /// Per AU, the false-positive rate of its labels, estimated as the lowest share of the label
    /// among the samples of any one expression class (each class with at least
    /// <see cref="MinClassSamples"/> AU-labelled samples). An AU that some expression never shows
    /// (AU12, the lip corner puller, in sadness) is labelled in that class only by the detector's
    /// mistakes, so there the share is the false-positive rate: the classes act as anchors. Where
    /// every class shows the AU now and then the estimate is too high, which makes the loss trust
    /// that AU's positive labels less, not more. The expression labels may be noisy; noise moves
    /// samples between classes and so raises the lowest share a little, in the same direction.
    /// </summary>
    public static float[] FalsePositiveRates(IReadOnlyList<Sample> samples, int classes, int auCount)
    {
        var positives = new double[classes, auCount];
        var counts = new int[classes];
        foreach (var s in samples)
        {
            if (s.Aus is not { } z || s.Label < 0 || s.Label >= classes) continue;
            counts[s.Label]++;
            for (var k = 0; k < auCount; k++) positives[s.Label, k] += z[k] >= 0.5f ? 1 : 0;
        }
        var rates = new float[auCount];
        for (var k = 0; k < auCount; k++)
        {
            var lowest = double.NaN;
            for (var c = 0; c < classes; c++)
            {
                if (counts[c] < MinClassSamples) continue;
                var share = positives[c, k] / counts[c];
                if (double.IsNaN(lowest) || share < lowest) lowest = share;
            }
            rates[k] = double.IsNaN(lowest) ? MinRate : Math.Clamp((float)lowest, MinRate, MaxRate);
        }
        return rates;
    }
}
