namespace UlcAg.Graph;

/// <summary>Element types the compiler emits. Values equal ONNX's TensorProto.DataType codes.</summary>
public enum DType
{
    Float = 1,
    UInt8 = 2,
    Int32 = 6,
    Int64 = 7,
    Bool = 9,
    Double = 11,
}

/// <summary>Helpers on <see cref="DType"/>.</summary>
public static class DTypeExtensions
{
    /// <summary>True for the floating-point types, the only ones that carry gradients.</summary>
    public static bool IsFloat(this DType type) => type is DType.Float or DType.Double;

    /// <summary>Size of one element in bytes.</summary>
    public static int ByteSize(this DType type) => type switch
    {
        DType.Float or DType.Int32 => 4,
        DType.UInt8 or DType.Bool => 1,
        DType.Int64 or DType.Double => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
