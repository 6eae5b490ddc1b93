using UlcAg.Data.Faces;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Cache;

/// <summary>
/// Everything that decides a cache's pixels. All members except <see cref="MaxDegreeOfParallelism"/>
/// enter the cache key.
/// </summary>
public sealed record CacheSettings
{
    /// <summary>Crop size and alignment.</summary>
    public FacePipelineOptions Faces { get; init; } = new();

    /// <summary>Detector for samples without box or landmarks; null never detects.</summary>
    public FaceDetectorSpec? Detector { get; init; }

    /// <summary>Fail on the first undecodable image, or skip such samples.</summary>
    public IssuePolicy OnDecodeError { get; init; } = IssuePolicy.Fail;

    /// <summary>Build threads (the machine this targets has 2 cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = 2;
}
