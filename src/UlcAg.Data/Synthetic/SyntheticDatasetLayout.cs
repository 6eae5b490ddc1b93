namespace UlcAg.Data.Synthetic;

/// <summary>
/// Where the files of a written synthetic dataset live, relative to its root (RAF-DB basic layout
/// plus AU label files).
/// </summary>
public static class SyntheticDatasetLayout
{
    /// <summary>Label list: <c>train_00001.jpg 5</c> per line, RAF-DB labels 1..7, training images first.</summary>
    public const string LabelList = "EmoLabel/list_patition_label.txt";
    /// <summary>Folder of the aligned images (<c>train_00001_aligned.jpg</c>).</summary>
    public const string AlignedImages = "Image/aligned";
    /// <summary>Simulated detector output in OpenFace 2.0 style (see <see cref="OpenFaceAuCsv"/>).</summary>
    public const string PseudoAus = "AU/openface_aus.csv";
    /// <summary>True AUs in the same layout as <see cref="PseudoAus"/>.</summary>
    public const string TrueAus = "AU/true_aus.csv";
    /// <summary>Per-image extras: label name, blend partner and ratio of ambiguous faces, occluder.</summary>
    public const string Details = "EmoLabel/synthetic_details.csv";
    /// <summary>The options the dataset was generated with (JSON).</summary>
    public const string Options = "synthetic_options.json";
}
