using System.Globalization;
using System.Text;

namespace UlcAg.Data.Synthetic;

/// <summary>
/// Writes AU labels as one OpenFace 2.0-style CSV for a whole image folder: a <c>file</c> column
/// first, then the OpenFace columns with the leading space OpenFace puts after every comma
/// (<c>file, face_id, confidence, success, AU01_r, ..., AU45_r, AU01_c, ..., AU45_c</c>); rows
/// use the same ", " separator. AUs the synthetic renderer does not model (14, 17, 28, 45) are 0.
/// </summary>
public static class OpenFaceAuCsv
{
    /// <summary>Column names, exactly as written (every name after the first has a leading space).</summary>
    public static IReadOnlyList<string> Columns { get; } =
        new[] { "file", " face_id", " confidence", " success" }
            .Concat(FacsAus.OpenFaceIntensity.Select(au => $" {FacsAus.Name(au)}_r"))
            .Concat(FacsAus.OpenFacePresence.Select(au => $" {FacsAus.Name(au)}_c"))
            .ToArray();

    /// <summary>The header line.</summary>
    public static string Header { get; } = string.Join(',', Columns);

    /// <summary>One data row for <paramref name="file"/>.</summary>
    public static string FormatRow(string file, AuDetection aus)
    {
        if (file.Contains(',', StringComparison.Ordinal) || file.Contains('\n', StringComparison.Ordinal))
            throw new SyntheticDataException($"File name '{file}' cannot be written to an OpenFace CSV: it contains a comma or line break.");
        var sb = new StringBuilder(256);
        sb.Append(file).Append(", 0, ").Append(aus.Confidence.ToString("0.00", CultureInfo.InvariantCulture)).Append(", 1");
        foreach (var au in FacsAus.OpenFaceIntensity)
            sb.Append(", ").Append(Value(aus.Intensity, au).ToString("0.00", CultureInfo.InvariantCulture));
        foreach (var au in FacsAus.OpenFacePresence)
            sb.Append(", ").Append(Value(aus.Presence, au).ToString("0.00", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static float Value(float[] values, int au) => FacsAus.IndexOf(au) is var i and >= 0 ? values[i] : 0f;

    /// <summary>Writes header and rows to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static void Write(string path, IEnumerable<(string File, AuDetection Aus)> rows) =>
        SyntheticFiles.WriteLines(path, rows.Select(r => FormatRow(r.File, r.Aus)).Prepend(Header));
}
