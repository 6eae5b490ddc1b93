namespace UlcAg.Data.Synthetic;

/// <summary>
/// The random streams a synthetic face draws from. Each image owns independent streams, so
/// changing one knob (say, the occlusion probability) leaves the identity and expression of
/// every face unchanged.
/// </summary>
public enum SynthStream
{
    /// <summary>Class order of a split.</summary>
    ClassOrder = 1,
    /// <summary>Face shape, colours, hair.</summary>
    Identity = 2,
    /// <summary>Action units and ambiguity.</summary>
    Expression = 3,
    /// <summary>Pose, lighting, occlusion, degradations.</summary>
    Scene = 4,
    /// <summary>Background clutter shapes and pixel noise.</summary>
    Pixels = 5,
    /// <summary>Simulated AU detector errors.</summary>
    Detector = 6,
}

/// <summary>
/// A small deterministic generator (xoshiro256**, seeded through SplitMix64) whose sequence is
/// fixed by (seed, split, index, stream) alone. <see cref="System.Random"/> is avoided on purpose:
/// its seeded algorithm is an implementation detail of the runtime, and the synthetic dataset must
/// stay byte-identical across runtime versions and thread counts.
/// </summary>
public sealed class SynthRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator from a 64-bit state seed.</summary>
    public SynthRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>The generator of one stream of one image.</summary>
    public static SynthRandom For(long seed, SynthSplit split, long index, SynthStream stream) =>
        new(Mix(Mix(Mix((ulong)seed, (ulong)split + 1), (ulong)index), (ulong)stream));

    /// <summary>A well-mixed hash of two 64-bit words (SplitMix64 finalizer over their combination).</summary>
    public static ulong Mix(ulong a, ulong b)
    {
        var x = a ^ (b + 0x9E3779B97F4A7C15UL + (a << 6) + (a >> 2));
        return SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next raw 64-bit value.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform in [-<paramref name="halfWidth"/>, <paramref name="halfWidth"/>).</summary>
    public double Symmetric(double halfWidth) => halfWidth * (2 * NextDouble() - 1);

    /// <summary>Uniform integer in [0, <paramref name="count"/>).</summary>
    public int Next(int count) => count <= 1 ? 0 : (int)((NextUInt64() >> 33) % (ulong)count);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal (Box-Muller; one value per call, so the sequence never depends on a cache).</summary>
    public double Normal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(T[] items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
