namespace UlcAg.Data.Issues;

/// <summary>What a reader does when it meets bad input.</summary>
public enum IssuePolicy
{
    /// <summary>Throw a <see cref="DataFormatException"/> at the first issue.</summary>
    Fail,

    /// <summary>Skip the offending row, file or sample, count it per kind and keep the first few messages.</summary>
    Skip,
}
