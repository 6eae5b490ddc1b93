namespace UlcAg.Data.Formats;

/// <summary>What FERPlus does with a row whose highest vote count is shared by several emotions.</summary>
public enum FerPlusTieRule
{
    /// <summary>Drop the row (counted in the report).</summary>
    Drop,

    /// <summary>Take the tied emotion that comes first in FERPlus's column order (neutral, happiness, surprise, ...).</summary>
    FirstInColumnOrder,
}
