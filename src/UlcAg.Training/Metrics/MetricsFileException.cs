namespace UlcAg.Training.Metrics;

/// <summary>
/// A metrics or audit file (<c>metrics.jsonl</c>, <c>relabels.csv</c>) that cannot be read or appended
/// to. The message names the file, the line where known, and what was expected.
/// </summary>
public sealed class MetricsFileException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> at 1-based <paramref name="line"/> (null: the whole file).</summary>
    public MetricsFileException(string path, int? line, string problem, Exception? inner = null)
        : base(line is null ? $"{path}: {problem}" : $"{path}, line {line}: {problem}", inner)
    {
        Path = path;
        Line = line;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The 1-based line, or null when the problem is not on one line.</summary>
    public int? Line { get; }
}
