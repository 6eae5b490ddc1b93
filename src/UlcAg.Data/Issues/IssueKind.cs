namespace UlcAg.Data.Issues;

/// <summary>The kinds of bad input the dataset readers detect; an <see cref="IssueReport"/> counts them separately.</summary>
public enum IssueKind
{
    /// <summary>An annotation or AU file is missing or cannot be read.</summary>
    UnreadableFile,

    /// <summary>A file that must start with a header row does not.</summary>
    MissingHeader,

    /// <summary>A header lacks a column the reader needs.</summary>
    MissingColumn,

    /// <summary>A row has the wrong number of columns or a field of the wrong shape.</summary>
    MalformedRow,

    /// <summary>A field that must be a number (or a number in a range) is not.</summary>
    BadNumber,

    /// <summary>A landmark field does not hold the expected number of x;y values.</summary>
    BadLandmarks,

    /// <summary>A pixel field does not hold the expected number of 0..255 values.</summary>
    BadPixels,

    /// <summary>A label is out of range or names no known class.</summary>
    BadLabel,

    /// <summary>A sample id occurs twice in one split (or twice in a label list).</summary>
    DuplicateId,

    /// <summary>An image file named by the annotations does not exist.</summary>
    MissingImage,

    /// <summary>A class has no sample in a loaded split.</summary>
    EmptyClass,

    /// <summary>An AU row names an image that is in no loaded split.</summary>
    UnknownAuRow,

    /// <summary>A label list names a sample that is not in the split it is applied to.</summary>
    UnknownSample,

    /// <summary>Two files that must agree row by row (FERPlus and FER2013) do not.</summary>
    Inconsistent,
}
