namespace UlcAg.Inference;

/// <summary>Outcome of one image.</summary>
public enum ImageStatus
{
    /// <summary>At least one face was classified.</summary>
    Ok,

    /// <summary>The image was read but the detector found no face.</summary>
    NoFace,

    /// <summary>The image could not be read or processed; see <see cref="ImageResult.Error"/>.</summary>
    Error,
}
