namespace UlcAg.Training.Config;

/// <summary>One problem with a configuration: the key it concerns, what is wrong and what was expected, and where the value came from.</summary>
/// <param name="Key">The full key path, e.g. <c>train.lr_milestones[1]</c>; empty for the whole file.</param>
/// <param name="Text">What is wrong and what was expected.</param>
/// <param name="Location">Where the value was set, or null for a built-in default.</param>
public sealed record ConfigMessage(string Key, string Text, ConfigLocation? Location)
{
    /// <summary><c>location: key: text</c>, leaving out what is unknown.</summary>
    public override string ToString()
    {
        var where = Location is null ? "" : $"{Location}: ";
        return Key.Length == 0 ? where + Text : $"{where}{Key}: {Text}";
    }
}
