namespace UlcAg.Network.Weights;

/// <summary>
/// A weights file or tensor set that cannot be used as asked: malformed or unsupported file
/// content, an unsupported Python object in a checkpoint, or a tensor whose shape does not match
/// the network. The message names the file, key or field and what was expected.
/// </summary>
public sealed class WeightsException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public WeightsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a user-facing message and the underlying cause.</summary>
    public WeightsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
