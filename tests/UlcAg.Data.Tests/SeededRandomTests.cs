using UlcAg.Data.Synthetic;

namespace UlcAg.Data.Tests;

/// <summary>
/// The generator's sequences are part of the data: the synthetic faces and the loader's batches are
/// drawn from them, so these values must never change.
/// </summary>
[TestClass]
public sealed class SeededRandomTests
{
    [TestMethod]
    [DataRow(0L, 1L, 0L, 0L, 0L, "2241851347452109056,9967634772489439681,10165316768456494588,1216279377411868753,679")]
    [DataRow(7L, 2L, 3L, 4L, 5L, "18311693663496171536,2770372179056445187,12407129024669289053,407150498815045274,968")]
    [DataRow(-1L, 1L, 2L, 0L, 0L, "7304026560268852848,12920295060368713121,1874385084932019106,7324809013860103517,822")]
    public void LoaderStreamsKeepTheirSequence(long seed, long stream, long a, long b, long c, string expected)
    {
        var rng = SeededRandom.For(seed, stream, a, b, c);
        var values = new[] { rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64(), (ulong)rng.NextInt(1000) };
        Assert.AreEqual(expected, string.Join(",", values));
    }

    [TestMethod]
    public void SyntheticStreamsKeepTheirSequence()
    {
        Assert.AreEqual("11792896252772301531,833374629132831891,745,-0.5285965652439766,2.4002910963439685", Draw(SeededRandom.For(1, SynthSplit.Train, 0, SynthStream.Identity)));
        Assert.AreEqual("13431668356890061052,16227825117959376960,510,-0.6468869062218844,-0.44439761590951177", Draw(SeededRandom.For(42, SynthSplit.Test, 17, SynthStream.Pixels)));
    }

    private static string Draw(SeededRandom r) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture, $"{r.NextUInt64()},{r.NextUInt64()},{r.Next(1000)},{r.Normal():R},{r.Uniform(-2.0, 3.0):R}");
}
