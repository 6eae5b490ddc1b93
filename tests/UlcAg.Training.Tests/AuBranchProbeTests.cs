using UlcAg.Data;
using UlcAg.Network.Models;
using UlcAg.Data.Noise;
using UlcAg.Data.Synthetic;
using UlcAg.Training.Config;
using UlcAg.Training.Correction;
using UlcAg.Training.Methods;
using UlcAg.Training.Trainer;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class AuBranchProbeTests
{
    [TestMethod]
    public void RenderedAusReachTheProbeAndScoreDifferentlyFromPseudoLabels()
    {
        // A small synthetic set as a run loads it: validation held out, label noise injected, a detector that errs often.
        var data = PreparedData.Load(new TrainOptions
        {
            Seed = 1,
            Data = new DataOptions
            {
                InputSize = 32,
                ValFraction = 0.2,
                Noise = new NoiseOptions { Rate = 0.2 },
                Synthetic = new SyntheticFaceOptions { Train = 50, Test = 40, AuErrorRate = 0.2 },
            },
        });
        foreach (var split in new[] { data.Train, data.Val, data.Test })
        {
            Assert.IsTrue(split.Samples.All(s => s.Aus is not null && s.RenderedAus?.Length == s.Aus.Length), $"{split.Split}: every sample has pseudo-labels and rendered AUs");
        }
        var test = data.Test.Samples;
        Assert.IsTrue(test.Any(s => !s.Aus!.SequenceEqual(s.RenderedAus!)), "some pseudo-labels differ from the rendered AUs");

        // A perfect detector of the rendered AUs: its scores are the rendered AUs themselves.
        var m = data.AuNames.Count;
        var probe = new AuBranchProbe(new NetworkOptions { AuCount = m }, new SemanticTemplates(data.ClassNames.Count, m, 0.9)) { AuNames = data.AuNames };
        foreach (var sample in test)
        {
            probe.Add(new Dictionary<string, Array> { [N.Semantic] = sample.RenderedAus! }, 0, sample);
        }
        var scores = probe.Result();
        Assert.AreEqual(1.0, scores.AuAucRendered!.Value, 1e-12, "perfect against the rendered AUs");
        Assert.IsLessThan(0.95, scores.AuAuc!.Value, "the same scores against the pseudo-labels pay for the detector's errors");
        Assert.IsNull(scores.TemplateAccuracy, "no template was built");

        // Per AU: named in the dataset's order, perfect against the rendered AUs wherever both values occur,
        // the mean is over those AUs, and the share is of faces that show the AU.
        var perAu = scores.PerAu!;
        CollectionAssert.AreEqual(data.AuNames.ToArray(), perAu.Select(a => a.Name).ToArray());
        var known = perAu.Where(a => a.AucRendered is not null).ToList();
        Assert.IsGreaterThan(m / 2, known.Count, "most AUs occur and are absent somewhere in the test faces");
        Assert.IsTrue(known.All(a => a.AucRendered == 1.0));
        Assert.AreEqual(perAu.Where(a => a.AucLabels is not null).Average(a => a.AucLabels!.Value), scores.AuAuc.Value, 1e-12);
        for (var j = 0; j < m; j++)
            Assert.AreEqual(test.Count(s => s.RenderedAus![j] > 0.5f) / (double)test.Count, perAu[j].Present!.Value, 1e-12, perAu[j].Name);
    }

    [TestMethod]
    public void SamplesWithoutRenderedAusScoreAgainstTheirLabelsOnly()
    {
        var probe = new AuBranchProbe(new NetworkOptions { AuCount = 2 }, new SemanticTemplates(3, 2, 0.9));
        float[][] scores = [[2, -1], [-1, 2], [1, 1], [-2, -2]];
        float[][] labels = [[1, 0], [0, 1], [1, 1], [0, 0]];
        for (var i = 0; i < scores.Length; i++)
        {
            probe.Add(new Dictionary<string, Array> { [N.Semantic] = scores[i] }, 0, new Sample($"s{i}", new ImageSource.File("x.jpg"), 0, Aus: labels[i]));
        }
        var result = probe.Result();
        Assert.AreEqual(1.0, result.AuAuc!.Value, 1e-12);
        Assert.IsNull(result.AuAucRendered, "real datasets do not know the rendered AUs");
        Assert.IsNull(result.PerAu, "no AU names given");
    }
}
