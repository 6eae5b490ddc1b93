using System.Numerics;
using UlcAg.Data.Synthetic;

namespace UlcAg.Data;

/// <summary>
/// A small deterministic generator (xoshiro256**, seeded through SplitMix64) whose sequence is fixed
/// by the integers it is derived from alone: (seed, split, index, stream) for a synthetic face,
/// (seed, stream, epoch, batch, position) for the loader. <see cref="System.Random"/> is avoided on
/// purpose: its seeded algorithm is an implementation detail of the runtime, and the synthetic dataset
/// and the loader's batches must stay byte-identical across runtime versions, thread counts and the
/// order in which workers fill batches.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator from a 64-bit state seed.</summary>
    public SeededRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>The generator of one stream of one synthetic image.</summary>
    public static SeededRandom For(long seed, SynthSplit split, long index, SynthStream stream) =>
        new(Mix(Mix(Mix((ulong)seed, (ulong)split + 1), (ulong)index), (ulong)stream));

    /// <summary>The generator of a loader stream at coordinates (<paramref name="a"/>, <paramref name="b"/>, <paramref name="c"/>), e.g. epoch, batch and position.</summary>
    public static SeededRandom For(long seed, long stream, long a = 0, long b = 0, long c = 0)
    {
        var h = Finalize((ulong)seed);
        h = Finalize(h ^ ((ulong)stream * Golden));
        h = Finalize(h ^ ((ulong)a + 0x632BE59BD9B4E019UL));
        h = Finalize(h ^ ((ulong)b + 0x8CB92BA72F3D8DD7UL));
        h = Finalize(h ^ ((ulong)c + 0xD6E8FEB86659FD93UL));
        return new SeededRandom(h);
    }

    /// <summary>A well-mixed hash of two 64-bit words (SplitMix64 over their combination).</summary>
    public static ulong Mix(ulong a, ulong b)
    {
        var x = a ^ (b + Golden + (a << 6) + (a >> 2));
        return SplitMix(ref x);
    }

    /// <summary>The next raw 64-bit value.</summary>
    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Uniform in [-<paramref name="halfWidth"/>, <paramref name="halfWidth"/>).</summary>
    public double Symmetric(double halfWidth) => halfWidth * ((2 * NextDouble()) - 1);

    /// <summary>Uniform integer in [0, <paramref name="count"/>) by modulo (the synthetic faces' draw).</summary>
    public int Next(int count) => count <= 1 ? 0 : (int)((NextUInt64() >> 33) % (ulong)count);

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>) by multiply-shift (the loader's draw; bias below 2^-32).</summary>
    public int NextInt(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal (Box-Muller; one value per call, so the sequence never depends on a cache).</summary>
    public double Normal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Fisher-Yates shuffle in place (with <see cref="Next"/>).</summary>
    public void Shuffle<T>(T[] items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    private static ulong SplitMix(ref ulong state)
    {
        state += Golden;
        return Finalize(state);
    }

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
