namespace UlcAg.Training.Config;

/// <summary>The command line is malformed: an unknown option, a missing value, options that exclude each other.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public UsageException(string message)
        : base(message)
    {
    }
}
