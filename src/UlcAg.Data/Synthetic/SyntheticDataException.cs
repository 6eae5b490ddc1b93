namespace UlcAg.Data.Synthetic;

/// <summary>
/// A problem with the synthetic dataset's configuration or output, with a message meant for the
/// user (it names the option or file and what was expected).
/// </summary>
public sealed class SyntheticDataException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public SyntheticDataException(string message) : base(message) { }

    /// <summary>Creates the exception with a user-facing message and the underlying cause.</summary>
    public SyntheticDataException(string message, Exception inner) : base(message, inner) { }
}
