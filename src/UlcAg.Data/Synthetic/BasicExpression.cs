namespace UlcAg.Data.Synthetic;

/// <summary>
/// The seven basic expression classes in RAF-DB's order (label file value = index + 1).
/// </summary>
public enum BasicExpression
{
    /// <summary>RAF-DB label 1.</summary>
    Surprise = 0,
    /// <summary>RAF-DB label 2.</summary>
    Fear = 1,
    /// <summary>RAF-DB label 3.</summary>
    Disgust = 2,
    /// <summary>RAF-DB label 4.</summary>
    Happiness = 3,
    /// <summary>RAF-DB label 5.</summary>
    Sadness = 4,
    /// <summary>RAF-DB label 6.</summary>
    Anger = 5,
    /// <summary>RAF-DB label 7.</summary>
    Neutral = 6,
}

/// <summary>Names and counts of <see cref="BasicExpression"/>.</summary>
public static class BasicExpressions
{
    /// <summary>Number of classes.</summary>
    public const int Count = 7;

    /// <summary>Class names in label order, as used for <see cref="DatasetSplit.ClassNames"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetNames<BasicExpression>();

    /// <summary>All classes in label order.</summary>
    public static IReadOnlyList<BasicExpression> All { get; } = Enum.GetValues<BasicExpression>();
}
