namespace UlcAg.Inference.Video;

/// <summary>The faces of one analysed video frame.</summary>
/// <param name="FrameIndex">Index of the frame in the video, from 0.</param>
/// <param name="TimeSeconds">The frame's time: <paramref name="FrameIndex"/> / frames per second.</param>
/// <param name="Faces">The faces found, largest first; empty when none.</param>
public sealed record VideoFrameResult(int FrameIndex, double TimeSeconds, IReadOnlyList<TrackedFace> Faces);
