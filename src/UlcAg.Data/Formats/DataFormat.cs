using System.Runtime.Serialization;

namespace UlcAg.Data.Formats;

/// <summary>The dataset reader: the generated synthetic faces, or one of the dataset adapters (<see cref="DatasetFactory"/>). The member names or their <see cref="EnumMemberAttribute"/> values are the words of the configuration and the command line.</summary>
public enum DataFormat
{
    /// <summary>The embedded synthetic FACS face dataset, generated on first use (nothing to download).</summary>
    Synthetic,

    /// <summary>RAF-DB basic.</summary>
    [EnumMember(Value = "rafdb")]
    RafDb,

    /// <summary>AffectNet, manually annotated part.</summary>
    [EnumMember(Value = "affectnet")]
    AffectNet,

    /// <summary>AffectNet, automatically annotated part (real label noise).</summary>
    [EnumMember(Value = "affectnet-auto")]
    AffectNetAuto,

    /// <summary>FER2013 (<c>emotion,pixels,Usage</c>).</summary>
    [EnumMember(Value = "fer2013")]
    Fer2013,

    /// <summary>FERPlus vote counts paired with the FER2013 pixels.</summary>
    [EnumMember(Value = "ferplus")]
    FerPlus,

    /// <summary>Image folders with one subfolder per class.</summary>
    Folder,

    /// <summary>One CSV (<c>path,label[,AU columns]</c>) per split.</summary>
    Csv,
}
