namespace UlcAg.Inference;

/// <summary>Everything found in one image, or why it failed.</summary>
/// <param name="Input">The image.</param>
/// <param name="Status">Ok, no face, or error.</param>
/// <param name="Width">Decoded width in pixels (0 on error).</param>
/// <param name="Height">Decoded height in pixels (0 on error).</param>
/// <param name="Faces">Classified faces, largest first.</param>
/// <param name="Error">What went wrong, for <see cref="ImageStatus.Error"/>; the message does not repeat the path.</param>
public sealed record ImageResult(InputImage Input, ImageStatus Status, int Width, int Height, IReadOnlyList<FaceResult> Faces, string? Error = null)
{
    /// <summary>A failed image.</summary>
    public static ImageResult Failed(InputImage input, string error) => new(input, ImageStatus.Error, 0, 0, [], error);
}
