using System.Text.Json;
using System.Text.Json.Serialization;

namespace UlcAg.Training.Metrics;

/// <summary>
/// <c>metrics.jsonl</c>: one JSON object per epoch (<see cref="EpochMetrics"/>), snake_case names, so a
/// run can be followed with <c>tail -f</c> and loaded by pandas (<c>read_json(lines=True)</c>). A
/// diverged loss is written as the string "NaN" rather than breaking the line.
/// </summary>
public static class MetricsLog
{
    internal static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>The JSON line for <paramref name="metrics"/> (without the '\n').</summary>
    public static string ToJson(EpochMetrics metrics) => JsonSerializer.Serialize(metrics, JsonOptions);

    /// <summary>
    /// Reads every entry of <paramref name="path"/>. An incomplete last line (a crash mid-write) is left
    /// out with a note in <see cref="LogContents{T}.Warning"/>; any other bad line is an error.
    /// </summary>
    /// <exception cref="MetricsFileException">The file is missing or unreadable, or a line is not an epoch entry.</exception>
    public static LogContents<EpochMetrics> Read(string path)
    {
        if (!File.Exists(path))
            throw new MetricsFileException(path, null, "not found; expected the metrics log of a run (one JSON object per line).");
        return LogLines.Collect(path, ParseLines(path));
    }

    /// <summary>
    /// Drops every entry after <paramref name="epoch"/> (and an incomplete last line), rewriting the file
    /// atomically: what resuming from a checkpoint of that epoch needs. A missing file is left missing.
    /// </summary>
    /// <returns>The number of entries dropped.</returns>
    /// <exception cref="MetricsFileException">A line other than the last is not an epoch entry.</exception>
    public static int TruncateAfter(string path, int epoch) =>
        File.Exists(path) ? LogLines.KeepThrough(path, [], ParseLines(path), e => e.Epoch, epoch) : 0;

    /// <summary>Each non-blank line with its entry; the entry is null for an incomplete last line.</summary>
    private static IEnumerable<(LogLines.Line Line, EpochMetrics? Entry)> ParseLines(string path)
    {
        foreach (var line in LogLines.Read(path))
        {
            if (string.IsNullOrWhiteSpace(line.Text))
                continue;
            EpochMetrics? entry;
            try
            {
                entry = JsonSerializer.Deserialize<EpochMetrics>(line.Text, JsonOptions)
                    ?? throw new JsonException("the line is 'null'");
            }
            catch (JsonException) when (line.Unterminated)
            {
                entry = null;
            }
            catch (JsonException e)
            {
                throw new MetricsFileException(path, line.Number, $"not an epoch entry ({e.Message}); expected one JSON object with at least \"epoch\".", e);
            }
            yield return (line, entry);
        }
    }
}
