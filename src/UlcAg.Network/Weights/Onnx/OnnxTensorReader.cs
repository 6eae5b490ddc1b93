using Onnx;

namespace UlcAg.Network.Weights.Onnx;

/// <summary>Converts ONNX initializers (typed fields or raw little-endian bytes) to <see cref="HostTensor"/>.</summary>
public static class OnnxTensorReader
{
    /// <summary>Reads a float, double, float16 or integer initializer as floats.</summary>
    /// <exception cref="WeightsException">External data, an unsupported data type, or a value count that does not match the dims.</exception>
    public static HostTensor ToHostTensor(TensorProto tensor, string source)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new WeightsException($"{source}: initializer '{tensor.Name}' keeps its data in an external file, which is not supported.");
        }

        var shape = tensor.Dims.ToArray();
        var values = new float[HostTensor.ElementCount(shape)];
        var type = (TensorProto.Types.DataType)tensor.DataType;
        if (!tensor.RawData.IsEmpty)
        {
            var elementType = type switch
            {
                TensorProto.Types.DataType.Float => ElementType.Float32,
                TensorProto.Types.DataType.Double => ElementType.Float64,
                TensorProto.Types.DataType.Float16 => ElementType.Float16,
                TensorProto.Types.DataType.Bfloat16 => ElementType.BFloat16,
                TensorProto.Types.DataType.Int64 => ElementType.Int64,
                TensorProto.Types.DataType.Int32 => ElementType.Int32,
                _ => throw Unsupported(tensor, type, source),
            };
            var raw = tensor.RawData.Span;
            if (raw.Length != values.Length * ElementDecoder.SizeOf(elementType))
            {
                throw Mismatch(tensor, raw.Length / ElementDecoder.SizeOf(elementType), values.Length, source);
            }

            ElementDecoder.ToSingle(raw, elementType, values);
            return new HostTensor(shape, values, ElementDecoder.KindOf(elementType));
        }

        switch (type)
        {
            case TensorProto.Types.DataType.Float:
                Fill(tensor.FloatData, v => v, values, tensor, source);
                return new HostTensor(shape, values);
            case TensorProto.Types.DataType.Double:
                Fill(tensor.DoubleData, v => (float)v, values, tensor, source);
                return new HostTensor(shape, values);
            case TensorProto.Types.DataType.Int64:
                Fill(tensor.Int64Data, v => v, values, tensor, source);
                return new HostTensor(shape, values, TensorKind.Int64);
            case TensorProto.Types.DataType.Int32:
                Fill(tensor.Int32Data, v => v, values, tensor, source);
                return new HostTensor(shape, values, TensorKind.Int64);
            default:
                throw Unsupported(tensor, type, source);
        }
    }

    private static void Fill<T>(IList<T> data, Func<T, float> convert, float[] values, TensorProto tensor, string source)
    {
        if (data.Count != values.Length)
        {
            throw Mismatch(tensor, data.Count, values.Length, source);
        }

        if (data is Google.Protobuf.Collections.RepeatedField<float> floats)
        {
            floats.CopyTo(values, 0);
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = convert(data[i]);
        }
    }

    private static WeightsException Unsupported(TensorProto tensor, TensorProto.Types.DataType type, string source) =>
        new($"{source}: initializer '{tensor.Name}' has data type {type}, which is not supported.");

    private static WeightsException Mismatch(TensorProto tensor, int found, int expected, string source) =>
        new($"{source}: initializer '{tensor.Name}' with dims {HostTensor.FormatShape(tensor.Dims)} holds {found} values, expected {expected}.");
}
