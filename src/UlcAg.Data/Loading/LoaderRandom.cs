using System.Numerics;

namespace UlcAg.Data.Loading;

/// <summary>
/// xoshiro256** seeded through SplitMix64 from a tuple of integers (seed, stream, epoch, batch,
/// position). Every batch and sample derives its own generator from its coordinates, so the bytes
/// a loader produces do not depend on which worker thread made them or in which order. Written out
/// here rather than using <see cref="Random"/> so results stay identical across .NET versions.
/// </summary>
internal struct LoaderRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public static LoaderRandom For(long seed, long stream, long a = 0, long b = 0, long c = 0)
    {
        var h = Mix((ulong)seed);
        h = Mix(h ^ ((ulong)stream * 0x9E3779B97F4A7C15UL));
        h = Mix(h ^ ((ulong)a + 0x632BE59BD9B4E019UL));
        h = Mix(h ^ ((ulong)b + 0x8CB92BA72F3D8DD7UL));
        h = Mix(h ^ ((ulong)c + 0xD6E8FEB86659FD93UL));
        var r = default(LoaderRandom);
        r._s0 = SplitMix(ref h);
        r._s1 = SplitMix(ref h);
        r._s2 = SplitMix(ref h);
        r._s3 = SplitMix(ref h);
        return r;
    }

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

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [lo, hi).</summary>
    public double Uniform(double lo, double hi) => lo + ((hi - lo) * NextDouble());

    /// <summary>Uniform integer in [0, maxExclusive) (multiply-shift; bias below 2^-32).</summary>
    public int NextInt(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
