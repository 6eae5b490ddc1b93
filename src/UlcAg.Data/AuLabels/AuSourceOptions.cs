using System.Globalization;
using System.Runtime.Serialization;
using System.Text.RegularExpressions;

namespace UlcAg.Data.AuLabels;

/// <summary>
/// Where a real dataset's AU pseudo-labels come from and how to read them: OpenFace 2.0 output (one
/// CSV per image in a folder, or one CSV with a file-name column) or a generic CSV (id column + 0/1
/// AU columns). The paper made them with OpenFace 2.0. The training configuration's section
/// <c>data.au</c> binds to this record; the synthetic dataset brings its own AU pseudo-labels, so
/// there <see cref="Source"/> stays <c>none</c> while <see cref="Mode"/>, <see cref="Threshold"/> and
/// <see cref="Subset"/> still apply.
/// </summary>
public sealed partial record AuSourceOptions
{
    /// <summary>YAML <c>source</c>: the kind of AU file; <c>none</c> joins no AU labels.</summary>
    public AuSource Source { get; init; } = AuSource.None;

    /// <summary>YAML <c>path</c>: a CSV file, or a folder of per-image CSVs (file stem = image stem); relative to the dataset root.</summary>
    public string? Path { get; init; }

    /// <summary>YAML <c>mode</c>: OpenFace presence columns (<c>AU01_c</c>) or thresholded intensities (<c>AU01_r</c>).</summary>
    public AuMode Mode { get; init; } = AuMode.Presence;

    /// <summary>YAML <c>threshold</c>: with mode <c>intensity</c>, an AU is present at this intensity (0..5) or more.</summary>
    public double Threshold { get; init; } = 1.0;

    /// <summary>YAML <c>subset</c>: the AUs used as graph nodes, in this order (<c>AU12</c> or <c>AU1</c>); null keeps all of the file's AUs in file order.</summary>
    public IReadOnlyList<string>? Subset { get; init; }

    /// <summary>The column holding the image name in a single CSV; null looks for file, filename, image, image_name, name, path, id, input. Not configured.</summary>
    [IgnoreDataMember]
    public string? FileColumn { get; init; }

    /// <summary>Treat rows with <c>success</c> = 0 as missing (when the column exists). Not configured.</summary>
    [IgnoreDataMember]
    public bool RequireSuccess { get; init; } = true;

    /// <summary>Treat rows with <c>confidence</c> below this as missing (when the column exists). Not configured.</summary>
    [IgnoreDataMember]
    public float MinConfidence { get; init; } = 0.5f;

    /// <summary>Checks the reading settings (keys as in YAML); whether a source and path fit the dataset and method is the run's check.</summary>
    public void Check(OptionCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.Between("threshold", Threshold, 0, 5);
        if (Subset is not null)
        {
            check.Require(Subset.Count >= 2, "subset", $"lists {Subset.Count} AU(s); expected at least 2 AU names, or null for all");
            for (var i = 0; i < Subset.Count; i++)
            {
                check.Require(AuName().IsMatch(Subset[i]), $"subset[{i}]", $"'{Subset[i]}' is not an AU name; expected AU followed by its number, e.g. AU12");
            }

            check.DistinctNames("subset", Subset.Select(s => AuName().Match(s) is { Success: true } m ? "AU" + int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : s).ToList());
        }
    }

    [GeneratedRegex("^AU0*([1-9][0-9]?)$", RegexOptions.IgnoreCase)]
    private static partial Regex AuName();
}
