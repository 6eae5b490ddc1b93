namespace UlcAg.Data.Faces;

/// <summary>The one ordering every detector returns: largest box first, then higher score.</summary>
internal static class FaceOrdering
{
    public static IReadOnlyList<DetectedFace> LargestFirst(List<DetectedFace> faces)
    {
        faces.Sort(static (a, b) =>
        {
            var byArea = b.Area.CompareTo(a.Area);
            return byArea != 0 ? byArea : b.Score.CompareTo(a.Score);
        });
        return faces;
    }
}
