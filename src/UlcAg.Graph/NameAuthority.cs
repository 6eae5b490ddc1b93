namespace UlcAg.Graph;

/// <summary>
/// Hands out unique names. Names chosen by the user are reserved as given and never altered;
/// generated names get a numeric suffix when taken.
/// </summary>
public sealed class NameAuthority
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    /// <summary>Reserves a name exactly as given; fails if it is taken.</summary>
    public string Reserve(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("a name must not be empty");
        if (!_used.Add(name)) throw new ArgumentException($"the name '{name}' is already used in this graph");
        return name;
    }

    /// <summary>Returns <paramref name="stem"/> if free, else the stem with the smallest free suffix.</summary>
    public string Unique(string stem)
    {
        if (_used.Add(stem)) return stem;
        _counters.TryGetValue(stem, out var n);
        string candidate;
        do candidate = $"{stem}_{++n}";
        while (!_used.Add(candidate));
        _counters[stem] = n;
        return candidate;
    }

    public bool IsUsed(string name) => _used.Contains(name);
    internal void Release(string name) => _used.Remove(name);
}
