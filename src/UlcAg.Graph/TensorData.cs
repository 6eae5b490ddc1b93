using System.Runtime.InteropServices;

namespace UlcAg.Graph;

/// <summary>Constant tensor contents: an initializer, a constant or an attribute tensor.</summary>
public sealed class TensorData
{
    private TensorData(DType type, Shape shape, Array data)
    {
        if (!shape.IsStatic || shape.Size != data.Length)
            throw new ArgumentException($"data of length {data.Length} does not fill shape {shape}");
        Type = type;
        Shape = shape;
        Data = data;
    }

    public DType Type { get; }
    public Shape Shape { get; }

    /// <summary>The elements, row-major: float[], double[], long[], int[], byte[] or bool[].</summary>
    public Array Data { get; }

    public static TensorData Of(float[] data, params long[] shape) => new(DType.Float, new Shape(shape), data);
    public static TensorData Of(double[] data, params long[] shape) => new(DType.Double, new Shape(shape), data);
    public static TensorData Of(long[] data, params long[] shape) => new(DType.Int64, new Shape(shape), data);
    public static TensorData Of(int[] data, params long[] shape) => new(DType.Int32, new Shape(shape), data);
    public static TensorData Of(byte[] data, params long[] shape) => new(DType.UInt8, new Shape(shape), data);
    public static TensorData Of(bool[] data, params long[] shape) => new(DType.Bool, new Shape(shape), data);

    /// <summary>A scalar (rank 0) of the given floating type.</summary>
    public static TensorData Scalar(DType type, double value) => type switch
    {
        DType.Float => Of([(float)value]),
        DType.Double => Of([value]),
        DType.Int64 => Of([(long)value]),
        DType.Int32 => Of([(int)value]),
        _ => throw new ArgumentException($"no scalar of type {type}"),
    };

    /// <summary>The raw little-endian bytes, as ONNX's raw_data holds them.</summary>
    public byte[] ToBytes() => Data switch
    {
        float[] f => MemoryMarshal.AsBytes(f.AsSpan()).ToArray(),
        double[] d => MemoryMarshal.AsBytes(d.AsSpan()).ToArray(),
        long[] l => MemoryMarshal.AsBytes(l.AsSpan()).ToArray(),
        int[] i => MemoryMarshal.AsBytes(i.AsSpan()).ToArray(),
        byte[] b => (byte[])b.Clone(),
        bool[] b => b.Select(x => x ? (byte)1 : (byte)0).ToArray(),
        _ => throw new InvalidOperationException("unsupported tensor data"),
    };
}
