using UlcAg.Inference;

namespace UlcAg.Infer.Cli;

/// <summary>Counts over all images of a run; decides the exit code.</summary>
internal sealed record RunSummary(int Images, int Faces, int NoFace, int Failed)
{
    public static RunSummary Of(IReadOnlyList<ImageResult> results, int annotationFailures) => new(
        results.Count,
        results.Sum(r => r.Faces.Count),
        results.Count(r => r.Status == ImageStatus.NoFace),
        results.Count(r => r.Status == ImageStatus.Error) + annotationFailures);

    /// <summary>0 when every image was classified, 1 when any failed or had no face.</summary>
    public int ExitCode => NoFace + Failed == 0 ? 0 : 1;
}
