namespace UlcAg.Data.Cache;

/// <summary>
/// What a cache holds and how it was made. <see cref="Reused"/> tells whether this open found a
/// valid cache (true) or built one (false); the other figures come from the build either way.
/// </summary>
public sealed record CacheBuildReport
{
    /// <summary>True when an existing cache with the same key was opened without rebuilding.</summary>
    public bool Reused { get; init; }

    /// <summary>Samples in the split.</summary>
    public int Total { get; init; }

    /// <summary>Samples in the cache.</summary>
    public int Held { get; init; }

    /// <summary>Samples left out because their image could not be decoded.</summary>
    public IReadOnlyList<SkippedSample> Skipped { get; init; } = [];

    /// <summary>Crops made by 5-point alignment.</summary>
    public int FivePoint { get; init; }

    /// <summary>Crops made by aligning the eyes and mouth centre (BlazeFace's keypoints).</summary>
    public int ThreePoint { get; init; }

    /// <summary>Crops made from a face box.</summary>
    public int Box { get; init; }

    /// <summary>Crops made by resizing the whole image (as configured, or nothing else known).</summary>
    public int Resized { get; init; }

    /// <summary>Images where the detector ran and found no face (resized whole).</summary>
    public int NoFaceFound { get; init; }

    /// <summary>Time to build (zero when reused).</summary>
    public TimeSpan BuildTime { get; init; }
}
