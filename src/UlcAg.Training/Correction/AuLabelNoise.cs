using UlcAg.Data;

namespace UlcAg.Training.Correction;

/// <summary>How often the training AU labels report an AU that the face does not show.</summary>
public static class AuLabelNoise
{
    /// <summary>The least weight (in samples, after the E-step) a class needs to take part in <see cref="FalsePositiveRates"/>.</summary>
    public const int MinClassSamples = 20;

    /// <summary>The rates are kept in [<see cref="MinRate"/>, <see cref="MaxRate"/>].</summary>
    public const double MinRate = 0.001, MaxRate = 0.5;

    /// <summary>A class's share of an AU's label is kept in [<see cref="ProfileFloor"/>, 1 - <see cref="ProfileFloor"/>] where it weighs a face's AU labels.</summary>
    private const double ProfileFloor = 1e-3;

    /// <summary>
    /// Per AU, the false-positive rate of its labels, estimated as the lowest share of the label
    /// among the samples of any one expression class (each class with a weight of at least
    /// <see cref="MinClassSamples"/> AU-labelled samples). An AU that some expression never shows
    /// (AU12, the lip corner puller, in sadness) is labelled in that class only by the detector's
    /// mistakes, so there the share is the false-positive rate: the classes act as anchors.
    /// <para>
    /// Wrong expression labels move faces that show an AU into its anchor class, and with them
    /// their AU labels: under 30% symmetric noise the plain class shares overstate the synthetic
    /// detector's rate by half. So the classes are first re-weighted by the AU labels themselves,
    /// one E-step of a latent class model (independent Bernoulli AU labels within a class) started
    /// from the expression labels: each sample belongs to each class in proportion to the class's
    /// share of the samples times the probability of its AU labels under the class's label shares
    /// (a sample's own expression label enters only through these shares and priors).
    /// A face whose AU labels say another expression then counts mostly there, and the shares are
    /// taken over these weights. One step only: run to convergence, the model fits classes to the
    /// detector's errors (classes without a given AU's false positives), and the lowest share falls
    /// below the detector's rate (docs/RESULTS.md, "Where the rates come from").
    /// </para>
    /// The lowest of several class shares is biased down by chance in small classes, and a
    /// detector's rate may differ between classes (the synthetic one reports absent AUs less often
    /// on faces with many weak AUs). Rates are kept in [<see cref="MinRate"/>, <see cref="MaxRate"/>];
    /// an AU without a class of <see cref="MinClassSamples"/> AU-labelled samples in weight gets <see cref="MinRate"/> (about BCE).
    /// </summary>
    public static float[] FalsePositiveRates(IReadOnlyList<Sample> samples, int classes, int auCount)
    {
        var labelled = samples.Where(s => s.Aus is not null && s.Label >= 0 && s.Label < classes).ToArray();
        var byLabel = new double[labelled.Length, classes];
        for (var i = 0; i < labelled.Length; i++) byLabel[i, labelled[i].Label] = 1;
        var weights = Reweight(labelled, byLabel, LabelShares(labelled, byLabel, classes, auCount), classes, auCount);
        return LowestShares(LabelShares(labelled, weights, classes, auCount), ClassWeights(weights, classes), auCount);
    }

    /// <summary>Per class (weights [samples, classes]) and AU, the weighted share of samples labelled with the AU.</summary>
    private static double[,] LabelShares(Sample[] samples, double[,] weights, int classes, int auCount)
    {
        var shares = new double[classes, auCount];
        var total = ClassWeights(weights, classes);
        for (var i = 0; i < samples.Length; i++)
            for (var c = 0; c < classes; c++)
                for (var k = 0; k < auCount; k++) shares[c, k] += weights[i, c] * samples[i].Aus![k];
        for (var c = 0; c < classes; c++)
            for (var k = 0; k < auCount; k++) shares[c, k] = total[c] > 0 ? shares[c, k] / total[c] : 0;
        return shares;
    }

    private static double[] ClassWeights(double[,] weights, int classes)
    {
        var total = new double[classes];
        for (var i = 0; i < weights.GetLength(0); i++)
            for (var c = 0; c < classes; c++) total[c] += weights[i, c];
        return total;
    }

    /// <summary>The E-step: each sample's class weights, proportional to the class's weight times the likelihood of its AU labels under the class's shares.</summary>
    private static double[,] Reweight(Sample[] samples, double[,] weights, double[,] shares, int classes, int auCount)
    {
        var logPrior = ClassWeights(weights, classes).Select(t => t > 0 ? Math.Log(t / samples.Length) : double.NegativeInfinity).ToArray();
        var (logShown, logNotShown) = (new double[classes, auCount], new double[classes, auCount]);
        for (var c = 0; c < classes; c++)
            for (var k = 0; k < auCount; k++)
            {
                var p = Math.Clamp(shares[c, k], ProfileFloor, 1 - ProfileFloor);
                (logShown[c, k], logNotShown[c, k]) = (Math.Log(p), Math.Log(1 - p));
            }
        var reweighted = new double[samples.Length, classes];
        var log = new double[classes];
        for (var i = 0; i < samples.Length; i++)
        {
            var z = samples[i].Aus!;
            for (var c = 0; c < classes; c++)
            {
                log[c] = logPrior[c];
                if (double.IsNegativeInfinity(log[c])) continue;
                for (var k = 0; k < auCount; k++) log[c] += z[k] * logShown[c, k] + (1 - z[k]) * logNotShown[c, k];
            }
            var max = log.Max();
            var sum = 0.0;
            for (var c = 0; c < classes; c++) sum += reweighted[i, c] = Math.Exp(log[c] - max);
            for (var c = 0; c < classes; c++) reweighted[i, c] /= sum;
        }
        return reweighted;
    }

    /// <summary>Per AU, the lowest share over the classes of at least <see cref="MinClassSamples"/> in weight, within the bounds.</summary>
    private static float[] LowestShares(double[,] shares, double[] classWeights, int auCount)
    {
        var rates = new float[auCount];
        for (var k = 0; k < auCount; k++)
        {
            var lowest = double.NaN;
            for (var c = 0; c < classWeights.Length; c++)
            {
                if (classWeights[c] < MinClassSamples) continue;
                if (double.IsNaN(lowest) || shares[c, k] < lowest) lowest = shares[c, k];
            }
            rates[k] = (float)(double.IsNaN(lowest) ? MinRate : Math.Clamp(lowest, MinRate, MaxRate));
        }
        return rates;
    }
}
