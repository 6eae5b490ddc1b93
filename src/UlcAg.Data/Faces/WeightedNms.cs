namespace UlcAg.Data.Faces;

/// <summary>
/// MediaPipe's weighted non-maximum suppression (<c>NonMaxSuppressionCalculator</c>, algorithm
/// WEIGHTED; BlazeFace paper, section 3.4 "tie resolution"): take the best remaining detection, gather
/// every remaining one whose box overlaps it by an IoU above the threshold (itself included), and
/// replace the group by the score-weighted mean of their boxes and keypoints, keeping the best score.
/// Blending instead of discarding steadies the box and keypoints, which suits alignment.
/// </summary>
internal static class WeightedNms
{
    /// <summary>MediaPipe's <c>min_suppression_threshold</c> for face detection.</summary>
    public const float DefaultIoUThreshold = 0.3f;

    /// <summary>Blends overlapping candidates; the result is sorted by descending score.</summary>
    public static List<FaceCandidate> Apply(IEnumerable<FaceCandidate> candidates, float iouThreshold = DefaultIoUThreshold)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var remaining = candidates.OrderByDescending(c => c.Score).ToList();
        var result = new List<FaceCandidate>();
        var group = new List<FaceCandidate>();
        while (remaining.Count > 0)
        {
            var top = remaining[0];
            group.Clear();
            var kept = 0;
            for (var i = 0; i < remaining.Count; i++)
            {
                var c = remaining[i];
                if (top.IoU(c) > iouThreshold || ReferenceEquals(c.Geometry, top.Geometry))
                {
                    group.Add(c);
                }
                else
                {
                    remaining[kept++] = c;
                }
            }

            remaining.RemoveRange(kept, remaining.Count - kept);
            result.Add(Blend(group, top.Score));
        }

        return result;
    }

    /// <summary>
    /// Drops every detection that lies mostly (at least <paramref name="insideFraction"/> of its area)
    /// inside one of at least twice its area: a pyramid tile that holds only part of a close-up face
    /// can see a face in that part (eyes and nose, sometimes scoring higher than the whole face),
    /// which overlaps the whole face too little for <see cref="Apply"/> to merge it. Faces in photos
    /// do not nest that way; overlapping faces in a crowd overlap far less.
    /// </summary>
    public static List<FaceCandidate> DropNested(List<FaceCandidate> detections, float insideFraction = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(detections);
        return [.. detections.Where(small => !detections.Any(big =>
            big.Area >= 2 * small.Area && big.Intersection(small) >= insideFraction * small.Area))];
    }

    private static FaceCandidate Blend(List<FaceCandidate> group, float score)
    {
        if (group.Count == 1)
        {
            return group[0];
        }

        var sum = new double[FaceCandidate.GeometryLength];
        double total = 0;
        foreach (var c in group)
        {
            total += c.Score;
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += c.Score * c.Geometry[i];
            }
        }

        var mean = new float[sum.Length];
        for (var i = 0; i < sum.Length; i++)
        {
            mean[i] = (float)(sum[i] / total);
        }

        return new FaceCandidate(score, mean);
    }
}
