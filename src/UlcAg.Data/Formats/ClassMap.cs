namespace UlcAg.Data.Formats;

/// <summary>
/// The class order of a loaded dataset and how every source label maps into it. A run stores it
/// (<see cref="ClassMapJson"/>) so predictions can be named and datasets compared.
/// </summary>
/// <param name="Dataset">The adapter's format name, e.g. "rafdb".</param>
/// <param name="ClassNames">Class names in index order, in the <see cref="ExpressionNames"/> vocabulary where they are expressions.</param>
/// <param name="Entries">Every source label and the class index it maps to (null = dropped).</param>
public sealed record ClassMap(string Dataset, IReadOnlyList<string> ClassNames, IReadOnlyList<ClassMapEntry> Entries)
{
    /// <summary>
    /// Keeps the classes named in <paramref name="classes"/>, in that order (e.g. <see cref="ExpressionNames.Common7"/>).
    /// Names are compared after <see cref="ExpressionNames.Normalize"/>, ignoring case.
    /// </summary>
    /// <param name="classes">The output class order.</param>
    /// <param name="oldToNew">For every current class index, its new index or -1 when the class is dropped.</param>
    /// <exception cref="ArgumentException">A name is not a class of this map, or is given twice.</exception>
    public ClassMap Select(IReadOnlyList<string> classes, out int[] oldToNew)
    {
        if (classes.Count == 0)
            throw new ArgumentException("The class selection is empty; expected at least one class name.", nameof(classes));
        oldToNew = [.. Enumerable.Repeat(-1, ClassNames.Count)];
        var names = new string[classes.Count];
        for (var n = 0; n < classes.Count; n++)
        {
            var wanted = ExpressionNames.Normalize(classes[n]);
            var old = IndexOf(wanted);
            if (old < 0)
                throw new ArgumentException($"Class '{classes[n]}' is not a class of dataset '{Dataset}'; expected one of: {string.Join(", ", ClassNames)}.", nameof(classes));
            if (oldToNew[old] >= 0)
                throw new ArgumentException($"Class '{classes[n]}' is selected twice; expected each class once.", nameof(classes));
            oldToNew[old] = n;
            names[n] = ClassNames[old];
        }
        var map = oldToNew;
        return new ClassMap(Dataset, names, [.. Entries.Select(e => e with { Index = e.Index is int i && map[i] >= 0 ? map[i] : null })]);
    }

    /// <summary>The index of the class named <paramref name="name"/> (normalized, case-insensitive), -1 if none.</summary>
    public int IndexOf(string name)
    {
        var wanted = ExpressionNames.Normalize(name);
        for (var i = 0; i < ClassNames.Count; i++)
        {
            if (string.Equals(ExpressionNames.Normalize(ClassNames[i]), wanted, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return -1;
    }
}
