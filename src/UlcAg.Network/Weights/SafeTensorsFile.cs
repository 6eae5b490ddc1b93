using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text;
using UlcAg.IO;

namespace UlcAg.Network.Weights;

/// <summary>
/// Reads and writes the safetensors format, so checkpoints load in PyTorch
/// (<c>safetensors.torch.load_file</c>) and numpy (<c>safetensors.numpy.load_file</c>).
/// </summary>
/// <remarks>
/// Layout: an 8-byte little-endian unsigned header length N; N bytes of UTF-8 JSON
/// <c>{"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}}</c>,
/// padded with spaces so the data starts on an 8-byte boundary; then the raw little-endian
/// values, where each tensor's offsets are relative to the start of the data and the tensors
/// cover the data without holes or overlaps. The header lists tensors in map order; in the data,
/// I64 tensors precede F32 ones so every value is aligned to its size.
/// </remarks>
public static class SafeTensorsFile
{
    /// <summary>Largest header accepted, as in the reference implementation (100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Reads a safetensors file; F32, F16, BF16, F64 and integer tensors become floats.</summary>
    /// <exception cref="WeightsException">The file is missing, malformed, or uses an unsupported dtype.</exception>
    public static TensorMap Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new WeightsException($"Safetensors file '{path}' does not exist.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads safetensors content from a seekable stream; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="WeightsException">The content is malformed or uses an unsupported dtype.</exception>
    public static TensorMap Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var length = stream.Length;
        if (length < 8)
        {
            throw new WeightsException($"'{source}' is not a safetensors file: it has {length} bytes, fewer than the 8-byte header length.");
        }

        Span<byte> prefix = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes || (long)headerLength > length - 8)
        {
            throw new WeightsException(
                $"'{source}' is not a valid safetensors file: header length {headerLength} exceeds the file size {length} or the {MaxHeaderBytes}-byte limit.");
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        if (header.Length == 0 || header[0] != (byte)'{')
        {
            throw new WeightsException($"'{source}' is not a valid safetensors file: the header does not start with a JSON object.");
        }

        var dataStart = 8 + (long)headerLength;
        var entries = ParseHeader(header, source, out var metadata);
        CheckCoverage(entries, length - dataStart, source);

        var map = new TensorMap();
        foreach (var (key, value) in metadata)
        {
            map.Metadata[key] = value;
        }

        foreach (var entry in entries)
        {
            var bytes = new byte[entry.End - entry.Begin];
            stream.Position = dataStart + entry.Begin;
            stream.ReadExactly(bytes);
            var values = new float[HostTensor.ElementCount(entry.Shape)];
            ElementDecoder.ToSingle(bytes, entry.Type, values);
            map.Add(entry.Name, new HostTensor(entry.Shape, values, ElementDecoder.KindOf(entry.Type)));
        }

        return map;
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> atomically: <see cref="TensorKind.Float32"/> tensors as F32,
    /// <see cref="TensorKind.Int64"/> tensors as I64, with the map's metadata.
    /// </summary>
    /// <exception cref="WeightsException">An Int64 tensor holds a value that is not an integer.</exception>
    public static void Write(string path, TensorMap tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var header = BuildHeader(tensors);
        AtomicFile.Write(path, stream => WriteContent(stream, tensors, header), durable: true);
    }

    /// <summary>Writes safetensors content to a stream (not atomically); see <see cref="Write(string, TensorMap)"/>.</summary>
    public static void Write(Stream stream, TensorMap tensors)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        WriteContent(stream, tensors, BuildHeader(tensors));
    }

    private static byte[] BuildHeader(TensorMap tensors)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (tensors.Metadata.Count > 0)
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in tensors.Metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            var offsets = DataOffsets(tensors);
            foreach (var (name, tensor) in tensors)
            {
                var (begin, end) = offsets[name];
                json.WriteStartObject(name);
                json.WriteString("dtype", tensor.Kind == TensorKind.Int64 ? "I64" : "F32");
                json.WriteStartArray("shape");
                foreach (var dim in tensor.Shape)
                {
                    json.WriteNumberValue(dim);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(begin);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        // Spaces after the JSON keep the data 8-byte aligned (8 + header length is a multiple of 8).
        var padding = (int)((8 - (buffer.Length % 8)) % 8);
        for (var i = 0; i < padding; i++)
        {
            buffer.WriteByte((byte)' ');
        }

        return buffer.ToArray();
    }

    private static void WriteContent(Stream stream, TensorMap tensors, byte[] header)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var (name, tensor) in DataOrder(tensors))
        {
            if (tensor.Kind == TensorKind.Int64)
            {
                WriteInt64(stream, name, tensor.Data);
            }
            else if (BitConverter.IsLittleEndian)
            {
                stream.Write(MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
            }
            else
            {
                var bytes = new byte[tensor.Data.Length * 4];
                for (var i = 0; i < tensor.Data.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), tensor.Data[i]);
                }

                stream.Write(bytes);
            }
        }
    }

    // The header lists tensors in map order; the data holds 8-byte (I64) tensors first, then F32,
    // each group in map order, as the reference writer sorts by alignment: every value then sits
    // on a multiple of its size, so zero-copy readers can view it in place.
    private static IEnumerable<KeyValuePair<string, HostTensor>> DataOrder(TensorMap tensors) =>
        tensors.OrderByDescending(t => ElementSize(t.Value));

    private static Dictionary<string, (long Begin, long End)> DataOffsets(TensorMap tensors)
    {
        var offsets = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        long offset = 0;
        foreach (var (name, tensor) in DataOrder(tensors))
        {
            var size = tensor.Data.LongLength * ElementSize(tensor);
            offsets[name] = (offset, offset + size);
            offset += size;
        }

        return offsets;
    }

    private static int ElementSize(HostTensor tensor) => tensor.Kind == TensorKind.Int64 ? 8 : 4;

    private static void WriteInt64(Stream stream, string name, float[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (!float.IsInteger(value))
            {
                throw new WeightsException($"Tensor '{name}' is marked Int64 but value #{i} is {value}, not an integer.");
            }

            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), (long)value);
        }

        stream.Write(bytes);
    }

    private sealed record Entry(string Name, ElementType Type, long[] Shape, long Begin, long End);

    private static List<Entry> ParseHeader(byte[] header, string source, out List<KeyValuePair<string, string>> metadata)
    {
        metadata = [];
        var entries = new List<Entry>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new WeightsException($"'{source}' has a malformed safetensors header: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new WeightsException($"'{source}' has a malformed safetensors header: the JSON is not an object.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, source, metadata);
                }
                else
                {
                    entries.Add(ReadEntry(property.Name, property.Value, source));
                }
            }
        }

        return entries;
    }

    private static void ReadMetadata(JsonElement element, string source, List<KeyValuePair<string, string>> metadata)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new WeightsException($"'{source}': \"{MetadataKey}\" must be an object of strings, found {element.ValueKind}.");
        }

        foreach (var item in element.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new WeightsException(
                    $"'{source}': metadata value \"{item.Name}\" must be a string, found {item.Value.ValueKind}.");
            }

            metadata.Add(new(item.Name, item.Value.GetString()!));
        }
    }

    private static Entry ReadEntry(string name, JsonElement element, string source)
    {
        string Where() => $"'{source}', tensor '{name}'";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new WeightsException($"{Where()}: expected an object with dtype, shape and data_offsets.");
        }

        if (!element.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String)
        {
            throw new WeightsException($"{Where()}: missing string field \"dtype\".");
        }

        var type = ParseDType(dtype.GetString()!)
            ?? throw new WeightsException(
                $"{Where()}: dtype \"{dtype.GetString()}\" is not supported (supported: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL).");
        var shape = ReadIntegers(element, "shape", Where);
        var offsets = ReadIntegers(element, "data_offsets", Where);
        if (offsets.Length != 2 || offsets[0] > offsets[1])
        {
            throw new WeightsException($"{Where()}: \"data_offsets\" must be [begin, end] with begin <= end.");
        }

        var expected = HostTensor.ElementCount(shape) * ElementDecoder.SizeOf(type);
        if (offsets[1] - offsets[0] != expected)
        {
            throw new WeightsException(
                $"{Where()}: shape {HostTensor.FormatShape(shape)} of {dtype.GetString()} needs {expected} bytes but data_offsets span {offsets[1] - offsets[0]}.");
        }

        return new Entry(name, type, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(JsonElement element, string field, Func<string> where)
    {
        if (!element.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new WeightsException($"{where()}: missing array field \"{field}\".");
        }

        var values = new long[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < 0)
            {
                throw new WeightsException($"{where()}: \"{field}\" must hold non-negative integers, found {item.GetRawText()}.");
            }

            values[i++] = value;
        }

        return values;
    }

    private static void CheckCoverage(List<Entry> entries, long dataLength, string source)
    {
        long position = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != position)
            {
                throw new WeightsException(
                    $"'{source}', tensor '{entry.Name}': data_offsets start at {entry.Begin} but the previous tensor ends at {position}; the data must have no holes or overlaps.");
            }

            position = entry.End;
        }

        if (position != dataLength)
        {
            throw new WeightsException(
                $"'{source}': the tensors cover {position} data bytes but the file holds {dataLength} (truncated or trailing data).");
        }
    }

    private static ElementType? ParseDType(string dtype) => dtype switch
    {
        "F32" => ElementType.Float32,
        "F16" => ElementType.Float16,
        "BF16" => ElementType.BFloat16,
        "F64" => ElementType.Float64,
        "I64" => ElementType.Int64,
        "I32" => ElementType.Int32,
        "I16" => ElementType.Int16,
        "I8" => ElementType.Int8,
        "U8" => ElementType.UInt8,
        "BOOL" => ElementType.Bool,
        _ => null,
    };
}
