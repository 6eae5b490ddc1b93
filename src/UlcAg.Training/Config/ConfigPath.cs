namespace UlcAg.Training.Config;

/// <summary>Builds key paths as messages show them: <c>data.au.subset[2]</c>.</summary>
internal static class ConfigPath
{
    public static string Child(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    /// <summary>The enclosing path (<c>a.b[1]</c> -> <c>a.b</c> -> <c>a</c> -> empty), or null at the top.</summary>
    public static string? Parent(string path)
    {
        if (path.Length == 0)
        {
            return null;
        }

        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? "" : path[..cut];
    }
}
