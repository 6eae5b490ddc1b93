namespace UlcAg.Spelling;

/// <summary>
/// Finds the known word closest to a mistyped one, for "did you mean" hints (configuration keys,
/// preset names, command-line options). One source file, compiled into each project that needs it.
/// </summary>
internal static class Suggestion
{
    /// <summary>The candidate within a small edit distance of <paramref name="word"/>, or null.</summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        var lower = word.ToLowerInvariant();
        var best = candidates.Select(c => (Word: c, Distance: EditDistance(lower, c.ToLowerInvariant()))).MinBy(c => c.Distance);
        return best.Word is not null && best.Distance <= Math.Max(2, word.Length / 3) ? best.Word : null;
    }

    // Levenshtein distance with one row.
    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
