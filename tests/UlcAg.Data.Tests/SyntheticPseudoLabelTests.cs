using UlcAg.Data.Synthetic;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class SyntheticPseudoLabelTests
{
    private static SyntheticFaceInfo[] Describe(SyntheticFaceOptions options)
    {
        var generator = new SyntheticFaceGenerator(options);
        return Enumerable.Range(0, generator.Count(SynthSplit.Train)).Select(i => generator.Describe(SynthSplit.Train, i)).ToArray();
    }

    private static double ErrorRate(IEnumerable<SyntheticFaceInfo> infos)
    {
        long wrong = 0, total = 0;
        foreach (var info in infos)
        {
            var truth = AuDetection.Exact(info.TrueAus).Presence;
            for (var k = 0; k < truth.Length; k++, total++)
            {
                if (truth[k] != info.PseudoAus.Presence[k])
                    wrong++;
            }
        }
        return (double)wrong / total;
    }

    [TestMethod]
    [DataRow(0.05)]
    [DataRow(0.1)]
    [DataRow(0.25)]
    public void ErrorRateIsCloseToTheConfiguredOne(double rate)
    {
        var infos = Describe(new SyntheticFaceOptions { Train = 3000, Test = 7, AuErrorRate = rate });
        // 42000 labels: the binomial standard error is below 0.0025.
        Assert.AreEqual(rate, ErrorRate(infos), 0.01);
    }

    [TestMethod]
    public void ZeroErrorRateGivesTheTruth()
    {
        var infos = Describe(new SyntheticFaceOptions { Train = 300, Test = 7, AuErrorRate = 0 });
        Assert.AreEqual(0, ErrorRate(infos));
    }

    [TestMethod]
    public void WeakAusAreMissedMoreOftenThanStrongOnes()
    {
        var infos = Describe(new SyntheticFaceOptions { Train = 4000, Test = 7, AuErrorRate = 0.15, MinAuIntensity = 0.1 });
        var weak = new List<bool>();
        var strong = new List<bool>();
        var falseAlarms = new List<bool>();
        foreach (var info in infos)
        {
            var truth = info.TrueAus.ToVector();
            for (var k = 0; k < truth.Length; k++)
            {
                var detected = info.PseudoAus.Presence[k] > 0;
                if (truth[k] == 0)
                    falseAlarms.Add(detected);
                else if (truth[k] < 0.4)
                    weak.Add(!detected);
                else if (truth[k] > 0.8)
                    strong.Add(!detected);
            }
        }
        var weakMiss = weak.Average(m => m ? 1.0 : 0.0);
        var strongMiss = strong.Average(m => m ? 1.0 : 0.0);
        var falseAlarm = falseAlarms.Average(f => f ? 1.0 : 0.0);
        Assert.IsGreaterThan(strongMiss * 1.5, weakMiss, $"weak {weakMiss:0.000} vs strong {strongMiss:0.000}");
        Assert.IsGreaterThan(falseAlarm, strongMiss, "a present AU is likelier to be missed than an absent one to be detected");
    }

    [TestMethod]
    public void IntensitiesFollowTheDetections()
    {
        var infos = Describe(new SyntheticFaceOptions { Train = 500, Test = 7 });
        foreach (var info in infos)
        {
            var p = info.PseudoAus;
            Assert.IsInRange(0.5, 0.99, p.Confidence);
            for (var k = 0; k < p.Presence.Length; k++)
            {
                Assert.IsInRange(0f, 5f, p.Intensity[k]);
                if (p.Presence[k] > 0)
                    Assert.IsGreaterThanOrEqualTo(0.3f, p.Intensity[k]);
            }
        }
    }
}
