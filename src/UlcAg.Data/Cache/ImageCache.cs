using System.IO.MemoryMappedFiles;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Cache;

/// <summary>
/// A dataset split's face crops, decoded and aligned once, stored as one uint8 array of shape
/// N x H x W x 3 (NHWC) in <b>RGB</b> channel order, and memory-mapped read-only. Slot s holds the
/// sample with index <see cref="SampleIndices"/>[s] in the split; samples skipped at build time
/// (undecodable images) hold no slot.
/// </summary>
/// <remarks>
/// Two files per dataset split in the cache directory: <c>{dataset}.{split}.json</c> (the header:
/// key, shape, layout, held sample indices, build report) and the pixel file it names,
/// <c>{dataset}.{split}.{key prefix}.u8</c>. The header is written last and is the commit point. The key
/// hashes the split's samples and image sources and all crop settings (see
/// <see cref="ComputeKey"/>); <see cref="OpenOrBuild"/> rebuilds when it differs and reuses the
/// cache otherwise. Spans returned by <see cref="GetImage"/> point into the mapping and are valid
/// until the cache is disposed.
/// </remarks>
public sealed unsafe class ImageCache : IDisposable
{
    /// <summary>Channels per pixel (R, G, B).</summary>
    public const int Channels = 3;

    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly int[] _sampleIndices;
    private readonly int[] _slotOfSample;
    private byte* _base;

    private ImageCache(ImageCacheHeader header, string dataPath, bool reused)
    {
        Key = header.Key;
        Dataset = header.Dataset;
        Split = header.Split;
        Height = header.Height;
        Width = header.Width;
        SampleCount = header.SampleCount;
        DataPath = dataPath;
        _sampleIndices = header.SampleIndices;
        Report = header.Report with { Reused = reused, BuildTime = reused ? TimeSpan.Zero : header.Report.BuildTime };
        _slotOfSample = new int[header.SampleCount];
        Array.Fill(_slotOfSample, -1);
        for (var s = 0; s < _sampleIndices.Length; s++)
        {
            _slotOfSample[_sampleIndices[s]] = s;
        }

        if (_sampleIndices.Length > 0)
        {
            _map = MemoryMappedFile.CreateFromFile(dataPath, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            _view = _map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
            _base += _view.PointerOffset;
        }
    }

    /// <summary>The key this cache was built for.</summary>
    public string Key { get; }

    /// <summary>Dataset name.</summary>
    public string Dataset { get; }

    /// <summary>Split name.</summary>
    public string Split { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Bytes per image: Height x Width x 3.</summary>
    public int ImageBytes => Height * Width * Channels;

    /// <summary>Images held (slots).</summary>
    public int Count => _sampleIndices.Length;

    /// <summary>Samples in the split, held or not.</summary>
    public int SampleCount { get; }

    /// <summary>For each slot, the index of its sample in the split (ascending).</summary>
    public IReadOnlyList<int> SampleIndices => _sampleIndices;

    /// <summary>How the cache was made, and whether this open reused it.</summary>
    public CacheBuildReport Report { get; }

    /// <summary>Path of the pixel file.</summary>
    public string DataPath { get; }

    /// <summary>
    /// Opens the cache of <paramref name="split"/> in <paramref name="directory"/> when its key matches,
    /// else builds it (in parallel, atomically) and opens the result.
    /// </summary>
    /// <param name="split">Samples to cache.</param>
    /// <param name="settings">Crop, detector and error settings.</param>
    /// <param name="directory">Cache directory, created if missing.</param>
    /// <param name="progress">Receives the number of samples processed so far during a build: 0 when it starts, then from the worker threads (<see cref="CacheBuildProgress"/> turns it into lines).</param>
    /// <param name="cancellation">Cancels a build.</param>
    /// <exception cref="Faces.ImageDecodeException">An image cannot be decoded under <see cref="IssuePolicy.Fail"/>.</exception>
    /// <exception cref="Faces.FaceDetectorUnavailableException">The configured detector's model file is missing.</exception>
    public static ImageCache OpenOrBuild(
        DatasetSplit split, CacheSettings settings, string directory,
        IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(directory);
        settings.Faces.Validate();
        Directory.CreateDirectory(directory);
        var baseName = BaseName(split);
        var headerPath = Path.Combine(directory, baseName + ".json");
        var key = ComputeKey(split, settings);

        var existing = ImageCacheHeader.TryRead(headerPath);
        if (existing is not null && IsValid(existing, key, directory))
        {
            return new ImageCache(existing, Path.Combine(directory, existing.DataFile), reused: true);
        }

        var header = ImageCacheBuilder.Build(split, settings, directory, baseName, key, progress, cancellation);
        header.WriteAtomically(headerPath);
        RemoveStaleDataFiles(directory, baseName, header.DataFile);
        return new ImageCache(header, Path.Combine(directory, header.DataFile), reused: false);
    }

    /// <summary>The key a cache of <paramref name="split"/> with <paramref name="settings"/> must carry (lowercase SHA-256 hex).</summary>
    public static string ComputeKey(DatasetSplit split, CacheSettings settings)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(settings);
        return CacheKey.Compute(split, settings);
    }

    /// <summary>The slot holding sample <paramref name="sampleIndex"/>, or -1 when it was skipped.</summary>
    public int SlotOf(int sampleIndex) => _slotOfSample[sampleIndex];

    /// <summary>The H x W x 3 RGB bytes of slot <paramref name="slot"/>; valid until the cache is disposed.</summary>
    public ReadOnlySpan<byte> GetImage(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, Count);
        ObjectDisposedException.ThrowIf(_base == null, this);
        return new ReadOnlySpan<byte>(_base + ((long)slot * ImageBytes), ImageBytes);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_view is not null && _base != null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _base = null;
        }

        _view?.Dispose();
        _map?.Dispose();
    }

    private static bool IsValid(ImageCacheHeader header, string key, string directory)
    {
        if (header.Format != ImageCacheHeader.FormatName || header.Version != CacheKey.FormatVersion || header.Key != key
            || header.Channels != Channels || header.DataFile.Length == 0)
        {
            return false;
        }

        var previous = -1;
        foreach (var index in header.SampleIndices)
        {
            if (index <= previous || index >= header.SampleCount)
            {
                return false;
            }

            previous = index;
        }

        var data = new FileInfo(Path.Combine(directory, header.DataFile));
        return data.Exists && data.Length == (long)header.SampleIndices.Length * header.Height * header.Width * Channels;
    }

    // Pixel files of earlier keys of this split; the new header no longer names them.
    private static void RemoveStaleDataFiles(string directory, string baseName, string current)
    {
        foreach (var path in Directory.EnumerateFiles(directory, baseName + ".*.u8"))
        {
            if (Path.GetFileName(path) != current)
            {
                try
                {
                    File.Delete(path);
                }
                catch (IOException)
                {
                    // Another process may still map it; it is removed by a later build.
                }
            }
        }
    }

    private static string BaseName(DatasetSplit split)
    {
        static string Clean(string s) => string.Concat(s.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        return $"{Clean(split.Dataset)}.{Clean(split.Split)}";
    }
}
