using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats;

/// <summary>Creates the adapter for a dataset format.</summary>
public static class DatasetFactory
{
    /// <summary>The adapter for <see cref="DatasetOptions.Format"/>.</summary>
    /// <param name="options">Where the dataset is and how to read it.</param>
    /// <param name="report">Where issues go; by default a new report under the options' policy.</param>
    /// <exception cref="ArgumentException">The format has no adapter (<see cref="DataFormat.Synthetic"/>).</exception>
    public static IDatasetAdapter Create(DatasetOptions options, IssueReport? report = null) =>
        options.Format switch
        {
            DataFormat.RafDb => new RafDbAdapter(options, report),
            DataFormat.AffectNet => new AffectNetAdapter(options, automatic: false, report),
            DataFormat.AffectNetAuto => new AffectNetAdapter(options, automatic: true, report),
            DataFormat.Fer2013 => new Fer2013Adapter(options, report),
            DataFormat.FerPlus => new FerPlusAdapter(options, report),
            DataFormat.Folder => new ImageFolderAdapter(options, report),
            DataFormat.Csv => new CsvListAdapter(options, report),
            _ => throw new ArgumentException($"Dataset format {options.Format} has no adapter; the synthetic faces come from SyntheticFaceGenerator.", nameof(options)),
        };
}
