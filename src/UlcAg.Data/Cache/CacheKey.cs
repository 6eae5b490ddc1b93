using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using UlcAg.Data.Faces;

namespace UlcAg.Data.Cache;

/// <summary>
/// The SHA-256 key of a cache: dataset name, split, every sample's id, image source (file path,
/// size and modification time; or a hash of raw pixels), box and landmarks, and every setting that
/// changes pixels. Labels and AUs are left out on purpose: relabelled or noisy variants of a split
/// share one cache.
/// </summary>
internal static class CacheKey
{
    /// <summary>
    /// Bumped whenever the crop code changes its output, so old caches are rebuilt (2: detection looks
    /// for the largest face only, which BlazeFace finds on the coarsest level that sees a face).
    /// </summary>
    public const int FormatVersion = 2;

    public static string Compute(DatasetSplit split, CacheSettings settings)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Add(hash, $"v{FormatVersion}");
        Add(hash, split.Dataset);
        Add(hash, split.Split);
        Add(hash, Describe(settings));
        Add(hash, split.Samples.Count.ToString(CultureInfo.InvariantCulture));
        Span<byte> number = stackalloc byte[4];
        foreach (var sample in split.Samples)
        {
            Add(hash, sample.Id);
            switch (sample.Image)
            {
                case ImageSource.File f:
                    var info = new FileInfo(f.Path);
                    Add(hash, info.Exists
                        ? string.Create(CultureInfo.InvariantCulture, $"file|{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}")
                        : $"missing|{info.FullName}");
                    break;
                case ImageSource.Pixels p:
                    Add(hash, string.Create(CultureInfo.InvariantCulture, $"pixels|{p.Width}|{p.Height}|{p.Channels}|{p.Data.Length}"));
                    hash.AppendData(p.Data);
                    break;
                default:
                    throw new ArgumentException($"sample '{sample.Id}': unknown image source type {sample.Image.GetType().Name}");
            }

            if (sample.Box is { } b)
            {
                Add(hash, string.Create(CultureInfo.InvariantCulture, $"box|{b.X:R}|{b.Y:R}|{b.Width:R}|{b.Height:R}"));
            }

            if (sample.Landmarks is { } marks)
            {
                BitConverter.TryWriteBytes(number, marks.Length);
                hash.AppendData(number);
                foreach (var v in marks)
                {
                    BitConverter.TryWriteBytes(number, v);
                    hash.AppendData(number);
                }
            }

            Add(hash, "|");
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Every pixel-relevant setting as one line (also stored in the header for people to read).</summary>
    public static string Describe(CacheSettings settings)
    {
        var f = settings.Faces;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"size={f.Size};mode={f.Mode};margin={f.Margin:R};templatePadding={f.TemplatePadding:R};maxDetectSide={f.MaxDetectSide};" +
            $"detector={settings.Detector?.KeyText() ?? "none"};onDecodeError={settings.OnDecodeError}");
    }

    private static void Add(IncrementalHash hash, string text)
    {
        // Length-prefixed so that concatenations cannot collide ("ab" + "c" vs "a" + "bc").
        Span<byte> length = stackalloc byte[4];
        var bytes = Encoding.UTF8.GetBytes(text);
        BitConverter.TryWriteBytes(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
