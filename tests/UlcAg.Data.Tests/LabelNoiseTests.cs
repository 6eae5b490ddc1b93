using UlcAg.Data.Formats;
using UlcAg.Data.Noise;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class LabelNoiseTests
{
    private static DatasetSplit Split(int n, int classes = 7) =>
        new("rafdb", "train", [.. RafDbAdapter.ClassNames.Take(classes)], [],
            [.. Enumerable.Range(0, n).Select(i => new Sample($"train_{i + 1:D5}.jpg", new ImageSource.File($"/x/{i}.jpg"), i % classes))]);

    [TestMethod]
    [DataRow(1000, 0.1, 100)]
    [DataRow(1000, 0.2, 200)]
    [DataRow(1000, 0.3, 300)]
    [DataRow(15, 0.3, 5)]     // 4.5 rounds away from zero
    [DataRow(12271, 0.1, 1227)] // RAF-DB train size
    [DataRow(10, 0.0, 0)]
    [DataRow(10, 1.0, 10)]
    public void SymmetricFlipsExactlyRoundRateTimesN(int n, double rate, int expected)
    {
        var split = Split(n);
        var result = LabelNoise.Inject(split, new NoiseOptions { Rate = rate, Seed = 7 });
        var samples = result.Split.Samples;
        Assert.HasCount(expected, result.Flipped);
        Assert.AreEqual(expected, samples.Count(s => s.Label != s.CleanLabel));
        for (var i = 0; i < n; i++)
        {
            Assert.AreEqual(split.Samples[i].Label, samples[i].CleanLabel, "every clean label is kept");
            Assert.AreEqual(split.Samples[i].Id, samples[i].Id);
            Assert.IsTrue(samples[i].Label is >= 0 and < 7);
        }
        CollectionAssert.AreEqual(result.Flipped.Order().ToArray(), result.Flipped.ToArray());
    }

    [TestMethod]
    public void SymmetricTargetsAreSpreadOverTheOtherClasses()
    {
        var split = Split(7000);
        var samples = LabelNoise.Inject(split, new NoiseOptions { Rate = 1.0, Seed = 3 }).Split.Samples;
        // All of class 0 flipped: each of the 6 other classes expected 1000/6 = 167 times.
        var counts = samples.Where(s => s.CleanLabel == 0).GroupBy(s => s.Label).ToDictionary(g => g.Key, g => g.Count());
        Assert.IsFalse(counts.ContainsKey(0));
        Assert.HasCount(6, counts);
        foreach (var count in counts.Values)
            Assert.IsTrue(count is > 120 and < 215, $"count {count}");
    }

    [TestMethod]
    public void SameSeedSameNoiseOtherSeedOtherSamples()
    {
        var split = Split(500);
        var a = LabelNoise.Inject(split, new NoiseOptions { Rate = 0.2, Seed = 11 });
        var b = LabelNoise.Inject(split, new NoiseOptions { Rate = 0.2, Seed = 11 });
        var c = LabelNoise.Inject(split, new NoiseOptions { Rate = 0.2, Seed = 12 });
        CollectionAssert.AreEqual(a.Flipped.ToArray(), b.Flipped.ToArray());
        CollectionAssert.AreEqual(a.Split.Samples.Select(s => s.Label).ToArray(), b.Split.Samples.Select(s => s.Label).ToArray());
        CollectionAssert.AreNotEqual(a.Flipped.ToArray(), c.Flipped.ToArray());
    }

    [TestMethod]
    public void PairwiseDefaultsToTheNextClass()
    {
        var result = LabelNoise.Inject(Split(700), new NoiseOptions { Kind = NoiseKind.Pairwise, Rate = 0.3, Seed = 1 });
        Assert.HasCount(210, result.Flipped);
        foreach (var i in result.Flipped)
        {
            var sample = result.Split.Samples[i];
            Assert.AreEqual((sample.CleanLabel!.Value + 1) % 7, sample.Label);
        }
    }

    [TestMethod]
    public void PairwiseWithAGivenMap()
    {
        var split = Split(300, classes: 3);
        var map = LabelNoise.PairMapFromNames(split.ClassNames, new Dictionary<string, string> { ["Surprise"] = "disgust" });
        CollectionAssert.AreEqual(new[] { 2, 2, 0 }, map);
        var result = LabelNoise.Inject(split, new NoiseOptions { Kind = NoiseKind.Pairwise, Rate = 0.5, Seed = 5, PairMap = map });
        Assert.HasCount(150, result.Flipped);
        foreach (var i in result.Flipped)
            Assert.AreEqual(map[result.Split.Samples[i].CleanLabel!.Value], result.Split.Samples[i].Label);
    }

    [TestMethod]
    public void StackedNoiseKeepsTheOriginalCleanLabel()
    {
        var split = Split(100);
        var once = LabelNoise.Inject(split, new NoiseOptions { Rate = 1.0, Seed = 1 }).Split;
        var twice = LabelNoise.Inject(once, new NoiseOptions { Kind = NoiseKind.Pairwise, Rate = 1.0, Seed = 2 }).Split;
        for (var i = 0; i < 100; i++)
        {
            Assert.AreEqual(split.Samples[i].Label, twice.Samples[i].CleanLabel);
            Assert.AreEqual((once.Samples[i].Label + 1) % 7, twice.Samples[i].Label);
        }
    }

    [TestMethod]
    public void InvalidSettingsAreRejected()
    {
        var split = Split(10);
        Assert.ThrowsExactly<ArgumentException>(() => LabelNoise.Inject(split, new NoiseOptions { Rate = 1.5 }));
        Assert.ThrowsExactly<ArgumentException>(() => LabelNoise.Inject(split, new NoiseOptions { Rate = -0.1 }));
        Assert.ThrowsExactly<ArgumentException>(() => LabelNoise.Inject(split, new NoiseOptions { Kind = NoiseKind.Pairwise, Rate = 0.1, PairMap = [1, 2, 3, 4, 5, 6, 6] }));
        Assert.ThrowsExactly<ArgumentException>(() => LabelNoise.Inject(split, new NoiseOptions { Kind = NoiseKind.Pairwise, Rate = 0.1, PairMap = [1, 2] }));
        Assert.ThrowsExactly<ArgumentException>(() => LabelNoise.Inject(Split(10, classes: 1), new NoiseOptions { Rate = 0.1 }));
        Assert.ThrowsExactly<ArgumentException>(() => LabelNoise.PairMapFromNames(split.ClassNames, new Dictionary<string, string> { ["Joy"] = "Calm" }));
    }

    /// <summary>
    /// Three classes with AU prototypes [1,0,0], [0,1,0], [0,0,1]; a class-0 face with AUs [1-t, t, 0]
    /// drifts toward class 1 as t grows. 600 clear faces (t = 0) and 60 ambiguous ones (t = 0.45).
    /// </summary>
    private static DatasetSplit AuSplit()
    {
        var samples = new List<Sample>();
        for (var i = 0; i < 660; i++)
        {
            var label = i < 600 ? i % 3 : 0;
            var aus = new float[3];
            aus[label] = 1;
            if (i >= 600) (aus[0], aus[1]) = (0.55f, 0.45f);
            samples.Add(new Sample($"f{i}", new ImageSource.File($"/x/{i}.jpg"), label, Aus: aus));
        }
        return new("synthetic", "train", [.. RafDbAdapter.ClassNames.Take(3)], [], samples);
    }

    [TestMethod]
    public void ConfusableFlipsTheFacesNearestAnotherClassToThatClass()
    {
        var split = AuSplit();
        var confusion = AuConfusion.Of(split);
        Assert.AreEqual(1, confusion.Target[600], "the ambiguous face leans to class 1");
        Assert.IsLessThan(confusion.Margin[0], confusion.Margin[600], "it is more ambiguous than a clear face of its class");

        var result = LabelNoise.Inject(split, new NoiseOptions { Kind = NoiseKind.Confusable, Rate = 0.1, Seed = 3 });
        Assert.HasCount(66, result.Flipped);
        foreach (var i in result.Flipped)
        {
            Assert.AreEqual(confusion.Target[i], result.Split.Samples[i].Label, $"sample {i} flips to its confusable class");
            Assert.AreEqual(split.Samples[i].Label, result.Split.Samples[i].CleanLabel);
        }
        // Drawn by ambiguity: the ambiguous tenth of the faces takes most of the flips, but not all of them.
        var ambiguousFlipped = result.Flipped.Count(i => i >= 600);
        Assert.IsTrue(ambiguousFlipped is >= 38 and <= 56, $"{ambiguousFlipped} of 66 flips fell on the 60 ambiguous faces; about three quarters expected");
        // Symmetric noise on the same faces flips the ambiguous ones only at their share, 10%.
        var symmetric = LabelNoise.Inject(split, new NoiseOptions { Rate = 0.1, Seed = 3 });
        Assert.IsLessThan(20, symmetric.Flipped.Count(i => i >= 600));
    }

    [TestMethod]
    public void ConfusableNoiseNeedsEveryFacesAus()
    {
        var split = AuSplit();
        split = split with { Samples = [.. split.Samples.Select((s, i) => i == 5 ? s with { Aus = null } : s)] };
        var e = Assert.ThrowsExactly<ArgumentException>(() => LabelNoise.Inject(split, new NoiseOptions { Kind = NoiseKind.Confusable, Rate = 0.1 }));
        StringAssert.Contains(e.Message, "1 of 660 samples of split 'train' have none");
        StringAssert.Contains(e.Message, "data.au.path");
        // No flip, nothing to judge: a zero rate needs no AUs.
        Assert.IsEmpty(LabelNoise.Inject(split, new NoiseOptions { Kind = NoiseKind.Confusable, Rate = 0 }).Flipped);
        var oneClass = AuSplit() with { Samples = [.. AuSplit().Samples.Where(s => s.Label == 0)] };
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => AuConfusion.Of(oneClass)).Message, "at least two classes");
    }
}
