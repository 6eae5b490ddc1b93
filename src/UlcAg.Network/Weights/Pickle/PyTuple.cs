namespace UlcAg.Network.Weights.Pickle;

/// <summary>A Python tuple: immutable, compared by value so it can be a dictionary key.</summary>
internal sealed class PyTuple : IEquatable<PyTuple>
{
    public static readonly PyTuple Empty = new([]);

    public PyTuple(object?[] items) => Items = items;

    public object?[] Items { get; }

    public int Count => Items.Length;

    public object? this[int index] => Items[index];

    public bool Equals(PyTuple? other) =>
        other is not null && Items.Length == other.Items.Length && Items.Zip(other.Items).All(p => Equals(p.First, p.Second));

    public override bool Equals(object? obj) => Equals(obj as PyTuple);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "(" + string.Join(", ", Items.Select(i => i?.ToString() ?? "None")) + ")";
}
