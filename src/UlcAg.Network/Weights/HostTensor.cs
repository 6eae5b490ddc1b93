namespace UlcAg.Network.Weights;

/// <summary>
/// A dense tensor in host memory: a shape and row-major (C-order) values. An empty shape is a
/// scalar with one value.
/// </summary>
public sealed class HostTensor
{
    /// <summary>Creates a tensor; the number of values must equal the product of the shape.</summary>
    /// <exception cref="ArgumentException">A negative dimension or a value count that does not match the shape.</exception>
    public HostTensor(long[] shape, float[] data, TensorKind kind = TensorKind.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        var count = ElementCount(shape);
        if (count != data.Length)
        {
            throw new ArgumentException(
                $"Shape {FormatShape(shape)} holds {count} values but {data.Length} were given.", nameof(data));
        }

        Shape = shape;
        Data = data;
        Kind = kind;
    }

    /// <summary>Dimensions, outermost first.</summary>
    public long[] Shape { get; }

    /// <summary>Values in row-major order.</summary>
    public float[] Data { get; }

    /// <summary>Whether the values are floating point or integers.</summary>
    public TensorKind Kind { get; }

    /// <summary>Number of values (1 for a scalar).</summary>
    public long ElementCount() => Data.LongLength;

    /// <summary>Whether <paramref name="shape"/> equals this tensor's shape.</summary>
    public bool HasShape(IReadOnlyList<long> shape) => Shape.AsSpan().SequenceEqual(shape.ToArray());

    /// <summary>Product of the dimensions; throws on a negative dimension.</summary>
    public static long ElementCount(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Shape {FormatShape(shape)} has a negative dimension.", nameof(shape));
            }

            count = checked(count * dim);
        }

        return count;
    }

    /// <summary>Formats a shape the way PyTorch prints sizes, e.g. <c>[64, 3, 7, 7]</c>.</summary>
    public static string FormatShape(IReadOnlyList<long> shape) => "[" + string.Join(", ", shape) + "]";

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} {FormatShape(Shape)}";
}
