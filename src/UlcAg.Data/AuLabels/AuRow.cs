namespace UlcAg.Data.AuLabels;

/// <summary>The AU labels of one image and where they were read.</summary>
/// <param name="Values">One 0/1 value per name in <see cref="AuTable.AuNames"/>.</param>
/// <param name="File">The CSV the row came from.</param>
/// <param name="Line">The row's 1-based line.</param>
/// <param name="Confidence">OpenFace's confidence, or 1 when the file has none.</param>
public sealed record AuRow(float[] Values, string File, int Line, float Confidence);
