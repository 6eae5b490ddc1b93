namespace UlcAg.Data.Formats;

/// <summary>
/// The expression class vocabulary shared by all adapters. Each dataset keeps its own class order,
/// but names its classes with these words, so splits from different datasets can be remapped to one
/// order by name.
/// </summary>
public static class ExpressionNames
{
    public const string Surprise = "Surprise";
    public const string Fear = "Fear";
    public const string Disgust = "Disgust";
    public const string Happiness = "Happiness";
    public const string Sadness = "Sadness";
    public const string Anger = "Anger";
    public const string Neutral = "Neutral";
    public const string Contempt = "Contempt";

    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["surprise"] = Surprise, ["surprised"] = Surprise,
        ["fear"] = Fear, ["fearful"] = Fear, ["afraid"] = Fear, ["scared"] = Fear,
        ["disgust"] = Disgust, ["disgusted"] = Disgust,
        ["happiness"] = Happiness, ["happy"] = Happiness, ["joy"] = Happiness,
        ["sadness"] = Sadness, ["sad"] = Sadness,
        ["anger"] = Anger, ["angry"] = Anger,
        ["neutral"] = Neutral,
        ["contempt"] = Contempt, ["contemptuous"] = Contempt,
    };

    /// <summary>
    /// The common 7-class order used to put datasets side by side: RAF-DB's order (labels 1..7), the
    /// paper's main benchmark.
    /// </summary>
    public static IReadOnlyList<string> Common7 { get; } = [Surprise, Fear, Disgust, Happiness, Sadness, Anger, Neutral];

    /// <summary>The canonical class names, in <see cref="Common7"/> order with Contempt last.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Common7, Contempt];

    /// <summary>Whether <paramref name="name"/> is a class name of the vocabulary or one of its synonyms (trimmed, ignoring case).</summary>
    public static bool IsKnown(string name) => Synonyms.ContainsKey(name.Trim());

    /// <summary>The canonical word for <paramref name="name"/> ("happy" -> "Happiness"); other names are returned trimmed.</summary>
    public static string Normalize(string name)
    {
        var trimmed = name.Trim();
        return Synonyms.TryGetValue(trimmed, out var canonical) ? canonical : trimmed;
    }
}
