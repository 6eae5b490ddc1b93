namespace UlcAg.Inference.Video;

/// <summary>One classified face of a video frame with the id of the person's track.</summary>
/// <param name="TrackId">Stable id of the face across frames (from 1), see <see cref="FaceTracker"/>.</param>
/// <param name="Face">Box, crop, detector score and the model's answer.</param>
public sealed record TrackedFace(int TrackId, FaceResult Face);
