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

    [TestMethod]
    public void NoisyExpressionLabelsRaiseTheEstimateButTheAnchorsStillSeparate()
    {
        // 30% of the expression labels wrong moves faces showing an AU into the classes without it:
        // the estimate rises (the loss then trusts positive AU labels less), but not below the
        // detector's rate, and stays closer to it than the AU's share of positive labels, which a
        // class-blind estimate would give.
        var (clean, infos) = Faces(3000, labelNoise: 0, seed: 4);
        var (noisy, _) = Faces(3000, labelNoise: 0.3, seed: 4);
        var truth = TrueFalsePositiveRates(infos);
        var fromClean = AuLabelNoise.FalsePositiveRates(clean, Classes, FacsAus.Count);
        var fromNoisy = AuLabelNoise.FalsePositiveRates(noisy, Classes, FacsAus.Count);
        Assert.IsGreaterThan(fromClean.Average() + 0.02, fromNoisy.Average());
        for (var k = 0; k < truth.Length; k++)
        {
            Assert.IsGreaterThan(truth[k] - 0.05, fromNoisy[k], $"{FacsAus.ModelledNames[k]}");
            var labelled = noisy.Average(s => s.Aus![k]);
            Assert.IsLessThan(Math.Abs(labelled - truth[k]), Math.Abs(fromNoisy[k] - truth[k]),
                $"{FacsAus.ModelledNames[k]}: estimated {fromNoisy[k]:0.000}, labelled {labelled:0.000}, the detector's {truth[k]:0.000}");
        }
    }

    [TestMethod]
    public void ClassesWithFewSamplesAreNoAnchor()
    {
        // Class 1 (3 samples) never shows the AU, but is too small to say so; class 0 labels it in 1 of 4 samples.
        var samples = new List<Sample>();
        for (var i = 0; i < 40; i++) samples.Add(new Sample($"a{i}", new ImageSource.File("x"), 0, Aus: [i % 4 == 0 ? 1f : 0f]));
        for (var i = 0; i < 3; i++) samples.Add(new Sample($"b{i}", new ImageSource.File("x"), 1, Aus: [0f]));
        for (var i = 0; i < 5; i++) samples.Add(new Sample($"c{i}", new ImageSource.File("x"), 2, Aus: null));
        var rates = AuLabelNoise.FalsePositiveRates(samples, 3, 1);
        Assert.AreEqual(0.25f, rates[0], 1e-6f);
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
