using System.Buffers.Binary;

namespace UlcAg.Network.Weights;

/// <summary>Sizes of <see cref="ElementType"/> values and their conversion from little-endian bytes.</summary>
public static class ElementDecoder
{
    /// <summary>Bytes per value.</summary>
    public static int SizeOf(ElementType type) => type switch
    {
        ElementType.Float64 or ElementType.Int64 => 8,
        ElementType.Float32 or ElementType.Int32 => 4,
        ElementType.Float16 or ElementType.BFloat16 or ElementType.Int16 => 2,
        ElementType.Int8 or ElementType.UInt8 or ElementType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type."),
    };

    /// <summary>
    /// The <see cref="TensorKind"/> a tensor of this element type becomes: floating types become
    /// <see cref="TensorKind.Float32"/>, integer and boolean types <see cref="TensorKind.Int64"/>.
    /// </summary>
    public static TensorKind KindOf(ElementType type) => type switch
    {
        ElementType.Float32 or ElementType.Float16 or ElementType.BFloat16 or ElementType.Float64 => TensorKind.Float32,
        _ => TensorKind.Int64,
    };

    /// <summary>
    /// Converts <c>destination.Length</c> little-endian values of <paramref name="type"/> from
    /// <paramref name="source"/> to <see cref="float"/>. Float64 and 64-bit integers are rounded
    /// to the nearest float.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is shorter than the values asked for.</exception>
    public static void ToSingle(ReadOnlySpan<byte> source, ElementType type, Span<float> destination)
    {
        var size = SizeOf(type);
        if ((long)destination.Length * size > source.Length)
        {
            throw new ArgumentException(
                $"{destination.Length} values of {type} need {(long)destination.Length * size} bytes, got {source.Length}.",
                nameof(source));
        }

        switch (type)
        {
            case ElementType.Float32:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]);
                }

                break;
            case ElementType.Float16:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(i * 2)..]);
                }

                break;
            case ElementType.BFloat16:
                // bfloat16 is the high half of a float32 bit pattern.
                for (var i = 0; i < destination.Length; i++)
                {
                    var bits = (uint)BinaryPrimitives.ReadUInt16LittleEndian(source[(i * 2)..]) << 16;
                    destination[i] = BitConverter.UInt32BitsToSingle(bits);
                }

                break;
            case ElementType.Float64:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source[(i * 8)..]);
                }

                break;
            case ElementType.Int64:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt64LittleEndian(source[(i * 8)..]);
                }

                break;
            case ElementType.Int32:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt32LittleEndian(source[(i * 4)..]);
                }

                break;
            case ElementType.Int16:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt16LittleEndian(source[(i * 2)..]);
                }

                break;
            case ElementType.Int8:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (sbyte)source[i];
                }

                break;
            case ElementType.UInt8:
            case ElementType.Bool:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = source[i];
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type.");
        }
    }
}
