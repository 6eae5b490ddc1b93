using System.Text.RegularExpressions;
using UlcAg.Data.AuLabels;

namespace UlcAg.Training.Config;

/// <summary>
/// YAML section <c>data.au</c>: AU pseudo-labels for the auxiliary branch (eq. 5-7). The paper made them
/// with OpenFace 2.0. The synthetic dataset brings its own (a simulated detector), so there
/// <see cref="Source"/> stays <c>none</c> while <see cref="Mode"/>, <see cref="Threshold"/> and
/// <see cref="Subset"/> still apply.
/// </summary>
public sealed partial record AuOptions
{
    /// <summary>YAML <c>source</c>: the kind of AU file of a real dataset.</summary>
    public AuSource Source { get; init; } = AuSource.None;

    /// <summary>YAML <c>path</c>: a CSV file, or a folder of per-image OpenFace CSVs (file stem = image stem).</summary>
    public string? Path { get; init; }

    /// <summary>YAML <c>mode</c>: OpenFace presence columns (<c>AU01_c</c>) or thresholded intensities (<c>AU01_r</c>).</summary>
    public AuMode Mode { get; init; } = AuMode.Presence;

    /// <summary>YAML <c>threshold</c>: with mode <c>intensity</c>, an AU is present at this intensity (0..5) or more.</summary>
    public double Threshold { get; init; } = 1.0;

    /// <summary>YAML <c>subset</c>: the AUs used as graph nodes, in this order (<c>AU12</c> or <c>AU1</c>); null keeps all of the file's AUs.</summary>
    public IReadOnlyList<string>? Subset { get; init; }

    /// <summary>The UlcAg.Data reader options for <see cref="Path"/>, or null when <see cref="Source"/> is none.</summary>
    public AuSourceOptions? ToAuSourceOptions() => Source == AuSource.None || Path is null ? null : new AuSourceOptions
    {
        Path = Path,
        Mode = Mode,
        IntensityThreshold = (float)Threshold,
        Subset = Subset,
    };

    internal void Check(ConfigChecker check, TrainOptions options, bool realDataset)
    {
        if (!realDataset)
        {
            check.Require(Source == AuSource.None, "source",
                $"is {EnumWords.ToWord(Source)}, but the synthetic dataset brings its own AU pseudo-labels (see data.synthetic.au_error_rate); expected none");
        }
        else if (Source == AuSource.None)
        {
            check.Require(!options.UsesAuBranch, "source",
                $"is none, but method '{EnumWords.ToWord(options.Method)}' trains the AU graph branch and needs AU pseudo-labels; expected openface or generic with data.au.path",
                relatedKey: "method");
        }
        else if (Path is null)
        {
            check.Fail("path", $"is not set; AU source '{EnumWords.ToWord(Source)}' needs the AU CSV file or folder", relatedKey: "source");
        }
        else if (!File.Exists(Path) && !Directory.Exists(Path))
        {
            check.Fail("path", $"'{Path}' does not exist; expected the AU CSV file or a folder of per-image CSVs");
        }

        check.Between("threshold", Threshold, 0, 5);
        if (Subset is not null)
        {
            check.Require(Subset.Count >= 2, "subset", $"lists {Subset.Count} AU(s); expected at least 2 AU names, or null for all");
            for (var i = 0; i < Subset.Count; i++)
            {
                check.Require(AuName().IsMatch(Subset[i]), $"subset[{i}]", $"'{Subset[i]}' is not an AU name; expected AU followed by its number, e.g. AU12");
            }

            check.DistinctNames("subset", Subset.Select(s => AuName().Match(s) is { Success: true } m ? "AU" + int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : s).ToList());
        }
    }

    [GeneratedRegex("^AU0*([1-9][0-9]?)$", RegexOptions.IgnoreCase)]
    private static partial Regex AuName();
}
