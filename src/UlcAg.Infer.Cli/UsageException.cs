namespace UlcAg.Infer.Cli;

/// <summary>The command line is wrong; the message says which argument and what was expected.</summary>
internal sealed class UsageException(string message) : Exception(message);
