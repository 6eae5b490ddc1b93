namespace UlcAg.Data.Formats;

/// <summary>
/// The key that joins side files (AU pseudo-labels, noisy label lists) to samples: the file name
/// without folder and extension, without RAF-DB's "_aligned" suffix, compared ignoring case.
/// So "Image/aligned/train_00001_aligned.jpg", "train_00001.jpg" and "train_00001_aligned.csv"
/// share the key "train_00001".
/// </summary>
public static class SampleKey
{
    private const string AlignedSuffix = "_aligned";

    /// <summary>The comparer keys are compared with.</summary>
    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>The join key of a sample id or a file path.</summary>
    public static string Of(string idOrPath)
    {
        var name = idOrPath.Trim();
        var slash = name.LastIndexOfAny(['/', '\\']);
        if (slash >= 0)
            name = name[(slash + 1)..];
        var dot = name.LastIndexOf('.');
        if (dot > 0)
            name = name[..dot];
        if (name.Length > AlignedSuffix.Length && name.EndsWith(AlignedSuffix, StringComparison.OrdinalIgnoreCase))
            name = name[..^AlignedSuffix.Length];
        return name;
    }
}
