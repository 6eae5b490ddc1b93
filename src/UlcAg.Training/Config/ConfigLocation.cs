namespace UlcAg.Training.Config;

/// <summary>Where a configuration value came from: a file with line and column (1-based), or a command-line argument (line 0).</summary>
/// <param name="Source">The file path as given, or the command-line argument (<c>--set train.lr=0.1</c>).</param>
/// <param name="Line">1-based line in <paramref name="Source"/>, or 0 when it is not a file.</param>
/// <param name="Column">1-based column, or 0.</param>
public sealed record ConfigLocation(string Source, int Line = 0, int Column = 0)
{
    /// <summary><c>file:line:column</c>, or the source alone.</summary>
    public override string ToString() => Line > 0 ? $"{Source}:{Line}:{Column}" : Source;
}
