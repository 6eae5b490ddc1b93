using System.Runtime.Serialization;

namespace UlcAg.Data.AuLabels;

/// <summary>Where a real dataset's AU pseudo-labels come from.</summary>
public enum AuSource
{
    /// <summary>No AU labels (enough for methods without the auxiliary branch; the synthetic dataset brings its own).</summary>
    None,

    /// <summary>OpenFace 2.0 output: one CSV per image in a folder, or one CSV with an image-name column.</summary>
    [EnumMember(Value = "openface")]
    OpenFace,

    /// <summary>A generic CSV: an image-name column and 0/1 AU columns (<c>AU01</c>, <c>AU1</c>).</summary>
    Generic,
}
