using UlcAg.Data.Synthetic;

namespace UlcAg.Data.Tests;

[TestClass]
public sealed class SyntheticBalanceTests
{
    private static int[] CountLabels(SyntheticFaceGenerator generator, SynthSplit split)
    {
        var counts = new int[BasicExpressions.Count];
        for (var i = 0; i < generator.Count(split); i++)
            counts[(int)generator.LabelOf(split, i)]++;
        return counts;
    }

    [TestMethod]
    public void DefaultBalanceReproducesRafDbCountsAtRafDbSize()
    {
        var generator = new SyntheticFaceGenerator(new SyntheticFaceOptions { Train = 12271, Test = 3068 });
        CollectionAssert.AreEqual(new[] { 1290, 281, 717, 4772, 1982, 705, 2524 }, CountLabels(generator, SynthSplit.Train));
        CollectionAssert.AreEqual(new[] { 329, 74, 160, 1185, 478, 162, 680 }, CountLabels(generator, SynthSplit.Test));
    }

    [TestMethod]
    public void DemoSizeKeepsRafDbProportions()
    {
        var generator = new SyntheticFaceGenerator(new SyntheticFaceOptions());
        var counts = CountLabels(generator, SynthSplit.Train);
        Assert.AreEqual(3000, counts.Sum());
        // 3000 * 4772 / 12271 = 1166.7 happiness, 3000 * 281 / 12271 = 68.7 fear.
        Assert.AreEqual(1167, counts[(int)BasicExpression.Happiness]);
        Assert.AreEqual(69, counts[(int)BasicExpression.Fear]);
        Assert.AreEqual(750, CountLabels(generator, SynthSplit.Test).Sum());
    }

    [TestMethod]
    public void CustomWeightsAndSizesGiveExactCounts()
    {
        var generator = new SyntheticFaceGenerator(new SyntheticFaceOptions
        {
            Train = 70, Test = 15,
            TrainClassWeights = ClassBalance.Uniform,
            TestClassWeights = [0, 0, 0, 1, 0, 0, 2],
        });
        CollectionAssert.AreEqual(new[] { 10, 10, 10, 10, 10, 10, 10 }, CountLabels(generator, SynthSplit.Train));
        CollectionAssert.AreEqual(new[] { 0, 0, 0, 5, 0, 0, 10 }, CountLabels(generator, SynthSplit.Test));
    }

    [TestMethod]
    public void LargestRemainderBreaksTiesTowardLowerClasses()
    {
        CollectionAssert.AreEqual(new[] { 2, 2, 1, 1, 1, 1, 1 }, ClassBalance.Counts(ClassBalance.Uniform, 9));
        CollectionAssert.AreEqual(new[] { 0, 0, 0, 0, 0, 0, 0 }, ClassBalance.Counts(ClassBalance.RafDbTrain, 0));
    }

    [TestMethod]
    public void ClassOrderIsShuffled()
    {
        var generator = new SyntheticFaceGenerator(new SyntheticFaceOptions { Train = 200, Test = 7 });
        var firstFifty = Enumerable.Range(0, 50).Select(i => generator.LabelOf(SynthSplit.Train, i)).Distinct().Count();
        Assert.IsGreaterThanOrEqualTo(5, firstFifty, "the first 50 labels should mix most classes");
    }

    [TestMethod]
    public void InvalidOptionsNameTheOption()
    {
        var e = Assert.ThrowsExactly<SyntheticDataException>(() => new SyntheticFaceGenerator(new SyntheticFaceOptions { TrainClassWeights = [1, 2, 3] }));
        StringAssert.Contains(e.Message, "train_class_weights");
        e = Assert.ThrowsExactly<SyntheticDataException>(() => new SyntheticFaceGenerator(new SyntheticFaceOptions { Difficulty = -1 }));
        StringAssert.Contains(e.Message, "difficulty");
        e = Assert.ThrowsExactly<SyntheticDataException>(() => new SyntheticFaceGenerator(new SyntheticFaceOptions { MinJpegQuality = 99, JpegQuality = 90 }));
        StringAssert.Contains(e.Message, "min_jpeg_quality");
        var generator = new SyntheticFaceGenerator(new SyntheticFaceOptions { Train = 7, Test = 7 });
        e = Assert.ThrowsExactly<SyntheticDataException>(() => generator.Describe(SynthSplit.Train, 7));
        StringAssert.Contains(e.Message, "index 7");
    }
}
