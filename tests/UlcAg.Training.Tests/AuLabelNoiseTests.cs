using UlcAg.Data;
using UlcAg.Data.Synthetic;
using UlcAg.Training.Correction;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class AuLabelNoiseTests
{
    private const int Classes = 7;

    /// <summary>Synthetic training faces as samples: the detector's AU labels, the true label or a symmetric-noise one.</summary>
    private static (Sample[] Samples, SyntheticFaceInfo[] Infos) Faces(int count, double labelNoise, int seed)
    {
        var generator = new SyntheticFaceGenerator(new SyntheticFaceOptions { Train = count, Test = 7, Seed = seed });
        var infos = Enumerable.Range(0, count).Select(i => generator.Describe(SynthSplit.Train, i)).ToArray();
        var rng = new Random(seed);
        var samples = infos.Select(info =>
        {
            var label = (int)info.Label;
            if (rng.NextDouble() < labelNoise) label = (label + 1 + rng.Next(Classes - 1)) % Classes;
            return new Sample(info.FileName, new ImageSource.File(info.FileName), label, (int)info.Label, info.PseudoAus.Presence);
        }).ToArray();
        return (samples, infos);
    }

    /// <summary>Per AU, the share of faces without the AU that the detector labels with it.</summary>
    private static double[] TrueFalsePositiveRates(SyntheticFaceInfo[] infos)
    {
        var m = FacsAus.Count;
        var positives = new double[m];
        var absent = new double[m];
        foreach (var info in infos)
        {
            var truth = info.TrueAus.ToVector();
            for (var k = 0; k < m; k++)
            {
                if (truth[k] > 0) continue;
                absent[k]++;
                positives[k] += info.PseudoAus.Presence[k];
            }
        }
        return [.. positives.Select((p, k) => p / absent[k])];
    }

    [TestMethod]
    public void EstimatesTheDetectorsFalsePositiveRateOfEveryAuFromCleanLabels()
    {
        var (samples, infos) = Faces(3000, labelNoise: 0, seed: 4);
        var truth = TrueFalsePositiveRates(infos);
        var estimate = AuLabelNoise.FalsePositiveRates(samples, Classes, FacsAus.Count);
        // The smallest class has about 90 faces: one binomial standard error of a share near 0.08 is 0.03.
        for (var k = 0; k < truth.Length; k++)
            Assert.AreEqual(truth[k], estimate[k], 0.05, $"{FacsAus.ModelledNames[k]}: estimated {estimate[k]:0.000}, the detector's {truth[k]:0.000}");
        Assert.IsLessThan(0.03, truth.Select((t, k) => Math.Abs(t - estimate[k])).Average());
    }

    /// <summary>Pairwise label noise: a share of the faces of class c labelled c + 1.</summary>
    private static Sample[] FlipPairwise(Sample[] samples, double rate, int seed)
    {
        var rng = new Random(seed);
        return [.. samples.Select(s => rng.NextDouble() < rate ? s with { Label = (s.Label + 1) % Classes } : s)];
    }

    /// <summary>The estimate without the E-step: per AU, the lowest share of the label among the samples of one expression label.</summary>
    private static double[] PlainClassShares(Sample[] samples) =>
        [.. Enumerable.Range(0, FacsAus.Count).Select(k => Enumerable.Range(0, Classes)
            .Select(c => samples.Where(s => s.Label == c).ToArray())
            .Where(members => members.Length >= AuLabelNoise.MinClassSamples)
            .Min(members => members.Average(s => (double)s.Aus![k])))];

    private static double MeanError(double[] truth, double[] estimate) =>
        truth.Select((t, k) => Math.Abs(t - estimate[k])).Average();

    [TestMethod]
    public void WrongExpressionLabelsBarelyMoveTheEstimate()
    {
        // Wrong expression labels move faces showing an AU into the classes without it: the plain
        // class shares rise above the detector's rate (by half under 30% symmetric noise). Weighed
        // by their AU labels, most moved faces count in the class their AUs say, and the estimate
        // stays near the detector's rate under symmetric and pairwise noise.
        var (clean, infos) = Faces(3000, labelNoise: 0, seed: 4);
        var (symmetric, _) = Faces(3000, labelNoise: 0.3, seed: 4);
        var truth = TrueFalsePositiveRates(infos);
        foreach (var (name, noisy) in new[] { ("30% symmetric", symmetric), ("20% pairwise", FlipPairwise(clean, 0.2, seed: 5)) })
        {
            var estimate = AuLabelNoise.FalsePositiveRates(noisy, Classes, FacsAus.Count).Select(r => (double)r).ToArray();
            var plain = PlainClassShares(noisy);
            var error = MeanError(truth, estimate);
            Assert.IsLessThan(0.02, error, $"{name}: mean error {error:0.000}");
            Assert.IsLessThan(MeanError(truth, plain) * 0.75, error, $"{name}: mean error {error:0.000}, of the plain class shares {MeanError(truth, plain):0.000}");
            for (var k = 0; k < truth.Length; k++)
                Assert.AreEqual(truth[k], estimate[k], 0.05, $"{name}, {FacsAus.ModelledNames[k]}: estimated {estimate[k]:0.000}, the detector's {truth[k]:0.000}");
        }
    }

    [TestMethod]
    public void ClassesWithFewSamplesAreNoAnchor()
    {
        // Class 1 (3 samples) never shows the AU, but is too small to say so; class 0 labels it in 1 of
        // 4 samples. The E-step moves a tenth of the weight of each sample without the AU's label to
        // class 1, which stays too small, and class 0's share stays 1 in 4 to rounding.
        var samples = new List<Sample>();
        for (var i = 0; i < 40; i++) samples.Add(new Sample($"a{i}", new ImageSource.File("x"), 0, Aus: [i % 4 == 0 ? 1f : 0f]));
        for (var i = 0; i < 3; i++) samples.Add(new Sample($"b{i}", new ImageSource.File("x"), 1, Aus: [0f]));
        for (var i = 0; i < 5; i++) samples.Add(new Sample($"c{i}", new ImageSource.File("x"), 2, Aus: null));
        var rates = AuLabelNoise.FalsePositiveRates(samples, 3, 1);
        Assert.AreEqual(0.25f, rates[0], 1e-3f);
    }

    [TestMethod]
    public void RatesStayInsideTheirBounds()
    {
        // An AU no class ever labels gets the floor, one every sample labels the ceiling; no AU labels at all: the floor.
        var samples = Enumerable.Range(0, 50).Select(i => new Sample($"s{i}", new ImageSource.File("x"), i % 2, Aus: [0f, 1f])).ToList();
        var rates = AuLabelNoise.FalsePositiveRates(samples, 2, 2);
        Assert.AreEqual((float)AuLabelNoise.MinRate, rates[0]);
        Assert.AreEqual((float)AuLabelNoise.MaxRate, rates[1]);
        var unlabelled = AuLabelNoise.FalsePositiveRates([.. samples.Select(s => s with { Aus = null })], 2, 2);
        CollectionAssert.AreEqual(new[] { (float)AuLabelNoise.MinRate, (float)AuLabelNoise.MinRate }, unlabelled);
    }
}
