using System.Buffers.Binary;
using System.Text;
using UlcAg.Network.Tests.Fixtures;
using UlcAg.Network.Weights;

namespace UlcAg.Network.Tests;

[TestClass]
public sealed class SafeTensorsFileTests
{
    [TestMethod]
    public void RoundTripKeepsOrderShapesValuesKindsAndMetadata()
    {
        using var dir = new TempDirectory();
        var map = new TensorMap();
        map.Metadata["format"] = "pt";
        map.Metadata["epoch"] = "12";
        map.Metadata["note"] = "Größe \"quoted\"";
        map.Add("layer1.0.conv1.weight", new HostTensor([2, 1, 2, 2], [1f, -2.5f, 3e-8f, float.MaxValue, 0f, -0f, 7f, 1e20f]));
        map.Add("bn1.num_batches_tracked", new HostTensor([], [123456f], TensorKind.Int64));
        map.Add("empty", new HostTensor([0, 3], []));
        map.Add("bn1.bias", new HostTensor([3], [0.1f, 0.2f, 0.3f]));
        var path = dir.File("model.safetensors");

        SafeTensorsFile.Write(path, map);
        var read = SafeTensorsFile.Read(path);

        CollectionAssert.AreEqual(map.Names.ToArray(), read.Names.ToArray());
        CollectionAssert.AreEqual(map.Metadata.ToArray(), read.Metadata.ToArray());
        foreach (var (name, tensor) in map)
        {
            CollectionAssert.AreEqual(tensor.Shape, read[name].Shape, name);
            CollectionAssert.AreEqual(tensor.Data, read[name].Data, name);
            Assert.AreEqual(tensor.Kind, read[name].Kind, name);
        }

        Assert.HasCount(1, Directory.GetFiles(dir.Path), "no temporary file is left behind");
    }

    [TestMethod]
    public void HeaderLayoutFollowsTheSpecByteForByte()
    {
        var map = new TensorMap();
        map.Metadata["k"] = "v";
        map.Add("a", new HostTensor([2], [1f, 2f]));
        map.Add("n", new HostTensor([], [7f], TensorKind.Int64));
        using var stream = new MemoryStream();

        SafeTensorsFile.Write(stream, map);
        var bytes = stream.ToArray();

        // Header in map order; data with the 8-byte I64 first so each value is aligned to its size.
        const string Json = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
            + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}}";
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.AreEqual(0UL, (8 + headerLength) % 8, "data starts 8-byte aligned");
        var header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.AreEqual(Json, header.TrimEnd(' '));
        Assert.IsLessThan(8, header.Length - Json.Length, "padding is shorter than the alignment");
        Assert.AreEqual(8 + (int)headerLength + 16, bytes.Length);
        var data = bytes.AsSpan(8 + (int)headerLength);
        Assert.AreEqual(7L, BinaryPrimitives.ReadInt64LittleEndian(data));
        Assert.AreEqual(1f, BinaryPrimitives.ReadSingleLittleEndian(data[8..]));
        Assert.AreEqual(2f, BinaryPrimitives.ReadSingleLittleEndian(data[12..]));
    }

    [TestMethod]
    public void ReadsHalfBFloatDoubleAndIntegerTensorsAtTheirOffsets()
    {
        // Header order differs from data order, as the reference writer may sort by dtype.
        var data = new List<byte>();
        data.AddRange(Bytes(8, b => BinaryPrimitives.WriteDoubleLittleEndian(b, -0.125)));
        data.AddRange(Bytes(2, b => BinaryPrimitives.WriteHalfLittleEndian(b, (Half)1.5f)));
        data.AddRange(Bytes(2, b => BinaryPrimitives.WriteHalfLittleEndian(b, (Half)(-3f))));
        data.AddRange(Bytes(2, b => BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)(BitConverter.SingleToUInt32Bits(2.75f) >> 16))));
        data.AddRange(Bytes(8, b => BinaryPrimitives.WriteInt64LittleEndian(b, -42)));
        const string Json = "{\"bf\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[12,14]},"
            + "\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[8,12]},"
            + "\"d\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[0,8]},"
            + "\"i\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[14,22]}}";

        var map = SafeTensorsFile.Read(new MemoryStream(Compose(Json, [.. data])), "mixed.safetensors");

        CollectionAssert.AreEqual(new[] { "bf", "h", "d", "i" }, map.Names.ToArray());
        CollectionAssert.AreEqual(new[] { 2.75f }, map["bf"].Data);
        CollectionAssert.AreEqual(new[] { 1.5f, -3f }, map["h"].Data);
        CollectionAssert.AreEqual(new[] { -0.125f }, map["d"].Data);
        CollectionAssert.AreEqual(new long[] { 1, 1 }, map["d"].Shape);
        CollectionAssert.AreEqual(new[] { -42f }, map["i"].Data);
        Assert.AreEqual(TensorKind.Int64, map["i"].Kind);
    }

    [TestMethod]
    public void HoleInTheDataIsRejectedNamingTheTensor()
    {
        const string Json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";

        var error = Assert.ThrowsExactly<WeightsException>(() => SafeTensorsFile.Read(new MemoryStream(Compose(Json, new byte[12])), "holes.safetensors"));

        StringAssert.Contains(error.Message, "holes.safetensors");
        StringAssert.Contains(error.Message, "'b'");
    }

    [TestMethod]
    public void UnsupportedDtypeIsNamed()
    {
        const string Json = "{\"q\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}";

        var error = Assert.ThrowsExactly<WeightsException>(() => SafeTensorsFile.Read(new MemoryStream(Compose(Json, new byte[1])), "fp8.safetensors"));

        StringAssert.Contains(error.Message, "F8_E4M3");
        StringAssert.Contains(error.Message, "'q'");
    }

    [TestMethod]
    public void SizeThatDisagreesWithShapeIsRejected()
    {
        const string Json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}";

        var error = Assert.ThrowsExactly<WeightsException>(() => SafeTensorsFile.Read(new MemoryStream(Compose(Json, new byte[4])), "short.safetensors"));

        StringAssert.Contains(error.Message, "needs 8 bytes");
    }

    [TestMethod]
    public void TruncatedFileIsRejected()
    {
        var map = new TensorMap();
        map.Add("w", new HostTensor([4], [1f, 2f, 3f, 4f]));
        using var stream = new MemoryStream();
        SafeTensorsFile.Write(stream, map);
        var cut = stream.ToArray()[..^4];

        var error = Assert.ThrowsExactly<WeightsException>(() => SafeTensorsFile.Read(new MemoryStream(cut), "cut.safetensors"));

        StringAssert.Contains(error.Message, "cut.safetensors");
    }

    [TestMethod]
    public void MissingFileIsNamed()
    {
        var error = Assert.ThrowsExactly<WeightsException>(() => SafeTensorsFile.Read("/nonexistent/w.safetensors"));

        StringAssert.Contains(error.Message, "/nonexistent/w.safetensors");
    }

    [TestMethod]
    public void NonIntegerValueInInt64TensorIsRefused()
    {
        var map = new TensorMap();
        map.Add("count", new HostTensor([1], [1.5f], TensorKind.Int64));

        var error = Assert.ThrowsExactly<WeightsException>(() => SafeTensorsFile.Write(new MemoryStream(), map));

        StringAssert.Contains(error.Message, "'count'");
    }

    [TestMethod]
    public void OverwriteReplacesTheFileWhole()
    {
        using var dir = new TempDirectory();
        var path = dir.File("w.safetensors");
        var big = new TensorMap();
        big.Add("w", new HostTensor([1000], new float[1000]));
        SafeTensorsFile.Write(path, big);
        var small = new TensorMap();
        small.Add("v", new HostTensor([1], [3f]));

        SafeTensorsFile.Write(path, small);

        var read = SafeTensorsFile.Read(path);
        CollectionAssert.AreEqual(new[] { "v" }, read.Names.ToArray());
        Assert.HasCount(1, Directory.GetFiles(dir.Path));
    }

    private static byte[] Compose(string json, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    private static byte[] Bytes(int count, Action<byte[]> write)
    {
        var bytes = new byte[count];
        write(bytes);
        return bytes;
    }
}
