using System.Globalization;

namespace UlcAg.Data.AuLabels;

/// <summary>
/// Action unit names: canonical form "AU01" (two digits), and the AU sets OpenFace 2.0 writes.
/// </summary>
public static class AuNames
{
    /// <summary>The 18 AUs with OpenFace presence columns (<c>AU01_c</c> ...).</summary>
    public static IReadOnlyList<string> OpenFacePresence { get; } =
        ["AU01", "AU02", "AU04", "AU05", "AU06", "AU07", "AU09", "AU10", "AU12", "AU14", "AU15", "AU17", "AU20", "AU23", "AU25", "AU26", "AU28", "AU45"];

    /// <summary>The 17 AUs with OpenFace intensity columns (<c>AU01_r</c> ...): the presence set without AU28.</summary>
    public static IReadOnlyList<string> OpenFaceIntensity { get; } = [.. OpenFacePresence.Where(a => a != "AU28")];

    /// <summary>
    /// Reads a column or AU name: "AU01", "AU1", " au12_c", "AU12_r". <paramref name="suffix"/> is 'c',
    /// 'r' or '\0' for a bare name.
    /// </summary>
    public static bool TryParse(string text, out string au, out char suffix)
    {
        au = "";
        suffix = '\0';
        var name = text.Trim();
        if (name.Length >= 2 && name[^2] == '_' && (char.ToLowerInvariant(name[^1]) is 'c' or 'r'))
        {
            suffix = char.ToLowerInvariant(name[^1]);
            name = name[..^2];
        }
        if (name.Length < 3 || !name.StartsWith("AU", StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(name.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
            return false;
        au = "AU" + number.ToString("D2", CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>The canonical name of <paramref name="name"/> ("AU1" -> "AU01").</summary>
    /// <exception cref="ArgumentException">The text is not an AU name.</exception>
    public static string Normalize(string name) =>
        TryParse(name, out var au, out _) ? au : throw new ArgumentException($"'{name}' is not an action unit name; expected a name such as AU01 or AU12.", nameof(name));
}
