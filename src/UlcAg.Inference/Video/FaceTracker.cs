using UlcAg.Data;

namespace UlcAg.Inference.Video;

/// <summary>
/// Gives the faces of consecutive analysed frames stable ids, so that one person keeps one id
/// through a video. Each frame's boxes are matched to the live tracks greedily by intersection over
/// union (the best-overlapping pair first, each track and box used once, pairs below
/// <see cref="MinIou"/> never matched); an unmatched box starts a new track with the next id; a
/// track without a box for more than <see cref="MaxAge"/> updates is dropped, so a face hidden for
/// a few frames comes back under its old id. Ids start at 1 and are never reused.
/// </summary>
public sealed class FaceTracker
{
    private readonly List<Track> _tracks = [];
    private int _nextId = 1;

    /// <summary>Creates a tracker.</summary>
    /// <param name="minIou">Least overlap (0..1) for a box to continue a track.</param>
    /// <param name="maxAge">Updates a track survives without a matching box (0: dropped at the first miss).</param>
    public FaceTracker(double minIou = DefaultMinIou, int maxAge = DefaultMaxAge)
    {
        if (minIou is <= 0 or > 1 || double.IsNaN(minIou))
        {
            throw new ArgumentOutOfRangeException(nameof(minIou), minIou, "the least overlap must be in (0, 1]");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxAge);
        MinIou = minIou;
        MaxAge = maxAge;
    }

    /// <summary>Default <see cref="MinIou"/>: a face that moved by up to about half its width still matches.</summary>
    public const double DefaultMinIou = 0.3;

    /// <summary>Default <see cref="MaxAge"/>.</summary>
    public const int DefaultMaxAge = 5;

    /// <summary>Least overlap for a box to continue a track.</summary>
    public double MinIou { get; }

    /// <summary>Updates a track survives without a matching box.</summary>
    public int MaxAge { get; }

    /// <summary>Ids of the tracks alive now (seen within the last <see cref="MaxAge"/> updates).</summary>
    public IReadOnlyList<int> LiveIds => [.. _tracks.Select(t => t.Id)];

    /// <summary>How many ids have been handed out so far.</summary>
    public int TrackCount => _nextId - 1;

    /// <summary>Takes one frame's boxes and returns the track id of each, in the order given.</summary>
    public int[] Update(IReadOnlyList<FaceBox> boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        var ids = new int[boxes.Count];
        var pairs = new List<(double Iou, int Track, int Box)>();
        for (var t = 0; t < _tracks.Count; t++)
        {
            for (var b = 0; b < boxes.Count; b++)
            {
                var iou = Iou(_tracks[t].Box, boxes[b]);
                if (iou >= MinIou)
                {
                    pairs.Add((iou, t, b));
                }
            }
        }

        // Greedy: the largest overlap first (ties: older track, then earlier box, for repeatable ids).
        pairs.Sort((x, y) => y.Iou != x.Iou ? y.Iou.CompareTo(x.Iou) : x.Track != y.Track ? x.Track.CompareTo(y.Track) : x.Box.CompareTo(y.Box));
        var trackUsed = new bool[_tracks.Count];
        var boxUsed = new bool[boxes.Count];
        foreach (var (_, t, b) in pairs)
        {
            if (trackUsed[t] || boxUsed[b])
            {
                continue;
            }

            trackUsed[t] = boxUsed[b] = true;
            _tracks[t].Box = boxes[b];
            _tracks[t].Missed = 0;
            ids[b] = _tracks[t].Id;
        }

        for (var t = 0; t < _tracks.Count; t++)
        {
            if (!trackUsed[t])
            {
                _tracks[t].Missed++;
            }
        }

        _tracks.RemoveAll(t => t.Missed > MaxAge);
        for (var b = 0; b < boxes.Count; b++)
        {
            if (!boxUsed[b])
            {
                ids[b] = _nextId;
                _tracks.Add(new Track(_nextId++, boxes[b]));
            }
        }

        return ids;
    }

    /// <summary>Intersection over union of two boxes; 0 when either is empty.</summary>
    public static double Iou(FaceBox a, FaceBox b)
    {
        var w = Math.Min(a.X + a.Width, b.X + b.Width) - Math.Max(a.X, b.X);
        var h = Math.Min(a.Y + a.Height, b.Y + b.Height) - Math.Max(a.Y, b.Y);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        var inter = (double)w * h;
        var union = ((double)a.Width * a.Height) + ((double)b.Width * b.Height) - inter;
        return union > 0 ? inter / union : 0;
    }

    private sealed class Track(int id, FaceBox box)
    {
        public int Id { get; } = id;
        public FaceBox Box { get; set; } = box;
        public int Missed { get; set; }
    }
}
