using UlcAg.Training.Metrics;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class MetricsRocAucTests
{
    [TestMethod]
    public void TextbookExample()
    {
        // Positive scores 0.35, 0.8 vs negatives 0.1, 0.4: 3 of 4 pairs ordered right.
        Assert.AreEqual(0.75, RocAuc.Compute([0.1, 0.4, 0.35, 0.8], [false, false, true, true])!.Value, 1e-12);
    }

    [TestMethod]
    public void TiesCountOneHalf()
    {
        // Pairs: (1,1) tie, (1,2) wrong, (2,1) right, (2,2) tie -> (0.5 + 0 + 1 + 0.5) / 4.
        Assert.AreEqual(0.5, RocAuc.Compute([1, 1, 2, 2], [false, true, false, true])!.Value, 1e-12);
        // Positive 0.5 ties both negatives (2 x 0.5), positive 0.9 beats both (2) -> 3 / 4.
        Assert.AreEqual(0.75, RocAuc.Compute([0.5, 0.5, 0.5, 0.9], [true, false, false, true])!.Value, 1e-12);
        // All scores equal: no information.
        Assert.AreEqual(0.5, RocAuc.Compute([3, 3, 3], [true, false, false])!.Value, 1e-12);
    }

    [TestMethod]
    public void MatchesPairCountingOnTiedRandomScores()
    {
        var random = new Random(7);
        var scores = Enumerable.Range(0, 300).Select(_ => Math.Round(random.NextDouble() * 10) / 10).ToArray();
        var positive = scores.Select(s => random.NextDouble() < 0.3 + 0.4 * s).ToArray();
        double pairs = 0, score = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            for (var j = 0; j < scores.Length; j++)
            {
                if (!positive[i] || positive[j])
                    continue;
                pairs++;
                score += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
            }
        }
        Assert.AreEqual(score / pairs, RocAuc.Compute(scores, positive)!.Value, 1e-12);
    }

    [TestMethod]
    public void UndefinedWithoutBothClasses()
    {
        Assert.IsNull(RocAuc.Compute([0.1, 0.2], [true, true]));
        Assert.IsNull(RocAuc.Compute([], []));
    }

    [TestMethod]
    public void LowAlphaFlagsNoise()
    {
        Assert.AreEqual(1.0, RocAuc.AlphaFlagsNoise([0.9f, 0.8f, 0.2f, 0.3f], [false, false, true, true])!.Value, 1e-12);
        Assert.AreEqual(0.0, RocAuc.AlphaFlagsNoise([0.1f, 0.2f, 0.8f, 0.9f], [false, false, true, true])!.Value, 1e-12);
    }

    [TestMethod]
    public void RejectsBadInput()
    {
        Assert.ThrowsExactly<ArgumentException>(() => RocAuc.Compute([0.1, double.NaN], [true, false]));
        Assert.ThrowsExactly<ArgumentException>(() => RocAuc.Compute([0.1], [true, false]));
    }
}
