namespace UlcAg.Data.Faces;

/// <summary>
/// A face detector cannot be created: its model or cascade file is missing or unreadable. The message
/// names the file and, for the default Haar cascade, the Debian package that provides it.
/// </summary>
public sealed class FaceDetectorUnavailableException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public FaceDetectorUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
