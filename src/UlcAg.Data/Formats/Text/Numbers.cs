using System.Globalization;

namespace UlcAg.Data.Formats.Text;

/// <summary>Culture-independent number parsing for annotation fields.</summary>
internal static class Numbers
{
    public static bool TryInt(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryFloat(ReadOnlySpan<char> text, out float value) =>
        float.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);

    /// <summary>Parses a 0/1 flag written as an integer or a float ("1", "1.00").</summary>
    public static bool TryFlag(ReadOnlySpan<char> text, out float value) =>
        TryFloat(text, out value) && (value == 0f || value == 1f);

    /// <summary>
    /// Parses the <paramref name="separator"/>-separated floats of <paramref name="text"/> into
    /// <paramref name="into"/>; false when the count differs from its length or a value is not a number.
    /// <paramref name="count"/> is the number of values found.
    /// </summary>
    public static bool TryFloats(ReadOnlySpan<char> text, char separator, float[] into, out int count)
    {
        text = text.Trim();
        count = text.IsEmpty ? 0 : text.Count(separator) + 1;
        if (count != into.Length)
            return false;
        var i = 0;
        foreach (var range in text.Split(separator))
        {
            if (!TryFloat(text[range], out into[i++]))
                return false;
        }
        return true;
    }
}
