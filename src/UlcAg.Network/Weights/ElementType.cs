namespace UlcAg.Network.Weights;

/// <summary>Element types that weight files store and the readers convert to <see cref="float"/>.</summary>
public enum ElementType
{
    /// <summary>IEEE 754 single precision (safetensors F32, torch.float32).</summary>
    Float32,

    /// <summary>IEEE 754 half precision (F16, torch.float16).</summary>
    Float16,

    /// <summary>bfloat16: the upper 16 bits of a float32 (BF16, torch.bfloat16).</summary>
    BFloat16,

    /// <summary>IEEE 754 double precision (F64, torch.float64).</summary>
    Float64,

    /// <summary>Signed 64-bit integer (I64, torch.int64).</summary>
    Int64,

    /// <summary>Signed 32-bit integer (I32, torch.int32).</summary>
    Int32,

    /// <summary>Signed 16-bit integer (I16, torch.int16).</summary>
    Int16,

    /// <summary>Signed 8-bit integer (I8, torch.int8).</summary>
    Int8,

    /// <summary>Unsigned 8-bit integer (U8, torch.uint8; also untyped byte storages).</summary>
    UInt8,

    /// <summary>One byte per value, 0 or 1 (BOOL, torch.bool).</summary>
    Bool,
}
