using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats;

/// <summary>Creates the adapter for a format name.</summary>
public static class DatasetFactory
{
    /// <summary>The format names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["rafdb", "affectnet", "affectnet-auto", "fer2013", "ferplus", "folder", "csv"];

    /// <summary>The adapter for <see cref="DatasetOptions.Format"/> (case-insensitive).</summary>
    /// <param name="options">Where the dataset is and how to read it.</param>
    /// <param name="report">Where issues go; by default a new report under the options' policy.</param>
    /// <exception cref="ArgumentException">The format name is unknown.</exception>
    public static IDatasetAdapter Create(DatasetOptions options, IssueReport? report = null) =>
        options.Format.Trim().ToLowerInvariant() switch
        {
            "rafdb" => new RafDbAdapter(options, report),
            "affectnet" => new AffectNetAdapter(options, automatic: false, report),
            "affectnet-auto" => new AffectNetAdapter(options, automatic: true, report),
            "fer2013" => new Fer2013Adapter(options, report),
            "ferplus" => new FerPlusAdapter(options, report),
            "folder" => new ImageFolderAdapter(options, report),
            "csv" => new CsvListAdapter(options, report),
            _ => throw new ArgumentException($"Unknown dataset format '{options.Format}'; expected one of: {string.Join(", ", Formats)}.", nameof(options)),
        };
}
