using UlcAg.Data;

namespace UlcAg.Training.Correction;

/// <summary>How often the training AU labels report an AU that the face does not show.</summary>
public static class AuLabelNoise
{
    /// <summary>The fewest samples a class needs to take part in <see cref="FalsePositiveRates"/>.</summary>
    public const int MinClassSamples = 20;

    /// <summary>The rates are kept in [<see cref="MinRate"/>, <see cref="MaxRate"/>].</summary>
    public const double MinRate = 0.001, MaxRate = 0.5;

    /// <summary>
    /// Per AU, the false-positive rate of its labels, estimated as the lowest share of the label
    /// among the samples of any one expression class (each class with at least
    /// <see cref="MinClassSamples"/> AU-labelled samples). An AU that some expression never shows
    /// (AU12, the lip corner puller, in sadness) is labelled in that class only by the detector's
    /// mistakes, so there the share is the false-positive rate: the classes act as anchors. Where
    /// every class shows the AU now and then, or wrong expression labels move faces that show it
    /// into the anchor class, the estimate is too high. It can also come out low: the lowest of
    /// several class shares is biased down by chance in small classes, and a detector's rate may
    /// differ between classes (the synthetic one reports absent AUs less often on faces with many
    /// weak AUs). Rates are kept in [<see cref="MinRate"/>, <see cref="MaxRate"/>]; an AU without a
    /// class of <see cref="MinClassSamples"/> AU-labelled samples gets <see cref="MinRate"/> (about BCE).
    /// </summary>
    public static float[] FalsePositiveRates(IReadOnlyList<Sample> samples, int classes, int auCount)
    {
        var positives = new double[classes, auCount];
        var counts = new int[classes];
        foreach (var s in samples)
        {
            if (s.Aus is not { } z || s.Label < 0 || s.Label >= classes) continue;
            counts[s.Label]++;
            for (var k = 0; k < auCount; k++) positives[s.Label, k] += z[k];
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
            rates[k] = (float)(double.IsNaN(lowest) ? MinRate : Math.Clamp(lowest, MinRate, MaxRate));
        }
        return rates;
    }
}
