using System.Collections;

namespace UlcAg.Graph;

/// <summary>
/// A static tensor shape. A dimension of <see cref="Dynamic"/> (-1) is unknown until run time
/// (the batch axis of an eval graph); gradients need fully static shapes.
/// </summary>
public sealed class Shape : IReadOnlyList<long>, IEquatable<Shape>
{
    /// <summary>Marker for a dimension known only at run time.</summary>
    public const long Dynamic = -1;

    private readonly long[] _dims;

    public Shape(params long[] dims)
    {
        foreach (var d in dims)
        {
            if (d < Dynamic)
                throw new ArgumentException($"invalid dimension {d} in shape [{string.Join(", ", dims)}]");
        }
        _dims = (long[])dims.Clone();
    }

    public Shape(IEnumerable<long> dims) : this(dims.ToArray()) { }

    /// <summary>The shape of a scalar.</summary>
    public static Shape Scalar { get; } = new();

    public int Rank => _dims.Length;
    public int Count => _dims.Length;
    public long this[int axis] => _dims[axis < 0 ? axis + _dims.Length : axis];
    public bool IsStatic => Array.TrueForAll(_dims, d => d != Dynamic);

    /// <summary>Number of elements; throws for a dynamic shape.</summary>
    public long Size
    {
        get
        {
            if (!IsStatic) throw new InvalidOperationException($"shape {this} is not static");
            long n = 1;
            foreach (var d in _dims) n *= d;
            return n;
        }
    }

    public long[] ToArray() => (long[])_dims.Clone();

    /// <summary>Normalizes a possibly negative axis against this rank.</summary>
    public int Axis(int axis)
    {
        var a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank) throw new ArgumentOutOfRangeException(nameof(axis), $"axis {axis} out of range for shape {this}");
        return a;
    }

    /// <summary>Numpy-style broadcast of two shapes.</summary>
    public static Shape Broadcast(Shape a, Shape b)
    {
        var rank = Math.Max(a.Rank, b.Rank);
        var dims = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i - (rank - a.Rank) >= 0 ? a[i - (rank - a.Rank)] : 1;
            var db = i - (rank - b.Rank) >= 0 ? b[i - (rank - b.Rank)] : 1;
            if (da == db || db == 1) dims[i] = da;
            else if (da == 1) dims[i] = db;
            else if (da == Dynamic || db == Dynamic) dims[i] = Dynamic;
            else throw new ArgumentException($"shapes {a} and {b} do not broadcast");
        }
        return new Shape(dims);
    }

    public IEnumerator<long> GetEnumerator() => ((IEnumerable<long>)_dims).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();
    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);
    public override bool Equals(object? obj) => Equals(obj as Shape);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims) h.Add(d);
        return h.ToHashCode();
    }
    public override string ToString() => "[" + string.Join(", ", _dims.Select(d => d == Dynamic ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
