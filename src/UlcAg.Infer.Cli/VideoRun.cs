using UlcAg.Inference.Video;

namespace UlcAg.Infer.Cli;

/// <summary>What one video run produced, for the reports.</summary>
/// <param name="Path">The video as given.</param>
/// <param name="Width">Frame width.</param>
/// <param name="Height">Frame height.</param>
/// <param name="Fps">Frames per second.</param>
/// <param name="Codec">The codec's four-character code.</param>
/// <param name="FramesRead">Frames decoded.</param>
/// <param name="Every">Every how many frames one was classified.</param>
/// <param name="Annotated">The annotated video written, or null.</param>
/// <param name="Frames">The classified frames.</param>
internal sealed record VideoRun(string Path, int Width, int Height, double Fps, string Codec, int FramesRead, int Every, string? Annotated, IReadOnlyList<VideoFrameResult> Frames)
{
    /// <summary>One line per track id, in id order.</summary>
    public IReadOnlyList<TrackSummary> Tracks => [.. Frames
        .SelectMany(f => f.Faces.Select(face => (f.TimeSeconds, face)))
        .GroupBy(x => x.face.TrackId)
        .OrderBy(g => g.Key)
        .Select(g => new TrackSummary(
            g.Key,
            g.Min(x => x.TimeSeconds),
            g.Max(x => x.TimeSeconds),
            g.Count(),
            // The most frequent expression; a tie goes to the class that comes first in the model's order.
            g.GroupBy(x => (x.face.Face.Prediction.ClassIndex, x.face.Face.Prediction.Label)).OrderByDescending(c => c.Count()).ThenBy(c => c.Key.ClassIndex).First().Key.Label,
            g.Any(x => x.face.Face.Prediction.Alpha is null) ? null : (float)g.Average(x => x.face.Face.Prediction.Alpha!.Value)))];

    /// <summary>Faces over all classified frames.</summary>
    public int Faces => Frames.Sum(f => f.Faces.Count);

    /// <summary>Classified frames with at least one face.</summary>
    public int FramesWithFaces => Frames.Count(f => f.Faces.Count > 0);
}

/// <summary>One tracked person over the video.</summary>
/// <param name="Id">Track id.</param>
/// <param name="FirstSeconds">Time of the first classified frame with the face.</param>
/// <param name="LastSeconds">Time of the last.</param>
/// <param name="Frames">Classified frames with the face.</param>
/// <param name="Expression">The expression predicted most often.</param>
/// <param name="MeanAlpha">Mean alpha, or null for a model without alpha.</param>
internal sealed record TrackSummary(int Id, double FirstSeconds, double LastSeconds, int Frames, string Expression, float? MeanAlpha);
