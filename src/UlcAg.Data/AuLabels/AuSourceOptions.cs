namespace UlcAg.Data.AuLabels;

/// <summary>
/// Where AU pseudo-labels come from and how to read them: OpenFace 2.0 output (one CSV per image in
/// a folder, or one CSV with a file-name column) or a generic CSV (id column + 0/1 AU columns).
/// </summary>
public sealed record AuSourceOptions
{
    /// <summary>A CSV file, or a folder of per-image CSVs (file stem = image stem); relative to the dataset root.</summary>
    public required string Path { get; init; }

    /// <summary>Presence columns (default) or thresholded intensities.</summary>
    public AuMode Mode { get; init; } = AuMode.Presence;

    /// <summary>With <see cref="AuMode.Intensity"/>: an AU is present when its intensity is at least this.</summary>
    public float IntensityThreshold { get; init; } = 1f;

    /// <summary>The AUs to keep, in this order ("AU12" or "AU1"); null keeps every AU of the file in file order.</summary>
    public IReadOnlyList<string>? Subset { get; init; }

    /// <summary>The column holding the image name in a single CSV; null looks for file, filename, image, image_name, name, path, id, input.</summary>
    public string? FileColumn { get; init; }

    /// <summary>Treat rows with <c>success</c> = 0 as missing (when the column exists).</summary>
    public bool RequireSuccess { get; init; } = true;

    /// <summary>Treat rows with <c>confidence</c> below this as missing (when the column exists).</summary>
    public float MinConfidence { get; init; } = 0.5f;
}
