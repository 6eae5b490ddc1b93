namespace UlcAg.Data.Formats;

/// <summary>
/// How one label of the source annotations maps to a class index.
/// </summary>
/// <param name="Code">The label as written in the source (e.g. "5" in RAF-DB, "happy" as a folder name, "NF" in FERPlus).</param>
/// <param name="SourceName">The source's own name for it (e.g. "Angry" in FER2013, "No-Face" in AffectNet).</param>
/// <param name="Index">The class index in <see cref="ClassMap.ClassNames"/>, or null when samples with this label are dropped.</param>
public sealed record ClassMapEntry(string Code, string SourceName, int? Index);
