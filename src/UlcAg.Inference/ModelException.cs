namespace UlcAg.Inference;

/// <summary>
/// A model cannot be used: the file is missing or not ONNX, it lacks the UlcAg metadata, its
/// metadata and graph disagree, or running it failed. The message names the file and what was
/// expected, for the user.
/// </summary>
public sealed class ModelException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public ModelException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
