using UlcAg.Training.Metrics;

namespace UlcAg.Training.Tests;

[TestClass]
public sealed class MetricsRelabelAuditTests
{
    // Four noisy samples (1, 3, 5, 9). Sample 1 was fixed in an earlier epoch; this epoch fixes 3, moves 5
    // to another wrong class, breaks clean sample 6, and leaves 9 alone.
    private static readonly int[] Clean = [0, 0, 1, 1, 2, 2, 0, 1, 2, 0];
    private static readonly int[] Initial = [0, 1, 1, 2, 2, 0, 0, 1, 2, 2];
    private static readonly int[] EpochStart = [0, 0, 1, 2, 2, 0, 0, 1, 2, 2];
    private static readonly int[] Current = [0, 0, 1, 1, 2, 1, 2, 1, 2, 2];

    [TestMethod]
    public void PlantedScenario()
    {
        var audit = RelabelAudit.Compute(Initial, EpochStart, Current, Clean);
        Assert.AreEqual(10, audit.Samples);
        Assert.AreEqual(3, audit.Changed);
        Assert.AreEqual(1, audit.ChangedCorrect);
        Assert.AreEqual(1.0 / 3, audit.Precision!.Value, 1e-12);
        Assert.AreEqual(4, audit.ChangedTotal);
        Assert.AreEqual(2, audit.ChangedTotalCorrect);
        Assert.AreEqual(0.5, audit.PrecisionTotal!.Value, 1e-12);
        Assert.AreEqual(4, audit.Noisy);
        Assert.AreEqual(2, audit.NoisyFixed);
        Assert.AreEqual(1, audit.NoisyMoved);
        Assert.AreEqual(0.5, audit.Recall!.Value, 1e-12);
        Assert.AreEqual(0.5, audit.NoisyStillWrong!.Value, 1e-12);
        Assert.AreEqual(1, audit.CleanBroken);
        Assert.AreEqual(3, audit.WrongNow);
        Assert.AreEqual(0.3, audit.NoiseRate!.Value, 1e-12);
    }

    [TestMethod]
    public void WithoutCleanLabelsOnlyChangesAreCounted()
    {
        var audit = RelabelAudit.Compute(Initial, EpochStart, Current);
        Assert.IsFalse(audit.CleanKnown);
        Assert.AreEqual(3, audit.Changed);
        Assert.AreEqual(4, audit.ChangedTotal);
        Assert.IsNull(audit.Precision);
        Assert.IsNull(audit.Recall);
        Assert.IsNull(audit.NoiseRate);
    }

    [TestMethod]
    public void NoChangeHasNoPrecision()
    {
        var audit = RelabelAudit.Compute(Initial, Initial, Initial, Clean);
        Assert.AreEqual(0, audit.Changed);
        Assert.IsNull(audit.Precision);
        Assert.AreEqual(0.0, audit.Recall!.Value);
        Assert.AreEqual(1.0, audit.NoisyStillWrong!.Value);
        Assert.AreEqual(0.4, audit.NoiseRate!.Value, 1e-12);
    }

    [TestMethod]
    public void LengthsMustAgree()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => RelabelAudit.Compute(Initial, EpochStart, Current, [0, 1]));
        StringAssert.Contains(e.Message, "'clean' has 2 labels; expected 10");
    }
}
