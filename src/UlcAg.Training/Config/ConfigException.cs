namespace UlcAg.Training.Config;

/// <summary>
/// The configuration cannot be used: unreadable YAML, an unknown key, a value of the wrong type or out
/// of range, a missing file. The message lists every problem found, one per line, each naming the key,
/// the file and line where the value was set, and what was expected.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception from one or more problems.</summary>
    public ConfigException(IReadOnlyList<ConfigMessage> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("A configuration error needs at least one message.", nameof(errors));
        }

        Errors = errors;
    }

    /// <summary>Creates the exception from one problem.</summary>
    public ConfigException(ConfigMessage error)
        : this([error])
    {
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ConfigMessage> Errors { get; }
}
