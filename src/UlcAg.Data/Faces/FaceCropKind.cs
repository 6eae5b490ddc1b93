namespace UlcAg.Data.Faces;

/// <summary>How a particular crop was made.</summary>
public enum FaceCropKind
{
    /// <summary>5-point similarity alignment to <see cref="FaceTemplate"/>.</summary>
    FivePoint,

    /// <summary>Similarity alignment of the eyes and mouth centre (BlazeFace's keypoints) to the same template.</summary>
    ThreePoint,

    /// <summary>Square crop around a face box with margin.</summary>
    Box,

    /// <summary>Plain resize of the whole image (the mode asked for it, or nothing else was known).</summary>
    Resize,

    /// <summary>The detector ran and found no face; the whole image was resized.</summary>
    NoFaceFound,
}
