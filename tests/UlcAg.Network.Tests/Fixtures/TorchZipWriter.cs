using System.Buffers.Binary;
using System.Text;

namespace UlcAg.Network.Tests.Fixtures;

/// <summary>
/// Writes a zip archive laid out as torch.save's PyTorchStreamWriter writes it: stored entries,
/// local headers with zero sizes and flags 0x0808 followed by data descriptors, an "FB" extra
/// field of 'Z' bytes that puts every entry's data on a 64-byte boundary, and zip64 end records.
/// </summary>
internal sealed class TorchZipWriter
{
    private const int Alignment = 64;
    private readonly MemoryStream _out = new();
    private readonly List<(string Name, uint Crc, int Size, long Offset)> _entries = [];

    public TorchZipWriter Add(string name, byte[] data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var offset = _out.Position;
        // The "FB" extra field (4-byte header plus padding) ends where the data must start: on a
        // 64-byte boundary. Fewer than 4 bytes to the boundary means padding to the next one.
        var extraLength = (int)((Alignment - ((offset + 30 + nameBytes.Length) % Alignment)) % Alignment);
        if (extraLength < 4)
        {
            extraLength += Alignment;
        }

        var crc = Crc32(data);
        U32(0x04034b50);
        U16(0); // version needed
        U16(0x0808); // data descriptor follows, UTF-8 names
        U16(0); // stored
        U16(0); // time
        U16(0); // date
        U32(0); // crc (in the descriptor)
        U32(0); // compressed size
        U32(0); // uncompressed size
        U16((ushort)nameBytes.Length);
        U16((ushort)extraLength);
        _out.Write(nameBytes);
        U16(0x4246); // "FB"
        U16((ushort)(extraLength - 4));
        for (var i = 0; i < extraLength - 4; i++)
        {
            _out.WriteByte((byte)'Z');
        }

        _out.Write(data);
        U32(0x08074b50);
        U32(crc);
        U32((uint)data.Length);
        U32((uint)data.Length);
        _entries.Add((name, crc, data.Length, offset));
        return this;
    }

    public byte[] Finish()
    {
        var directoryStart = _out.Position;
        foreach (var (name, crc, size, offset) in _entries)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            U32(0x02014b50);
            U16(0); // version made by
            U16(0); // version needed
            U16(0x0808);
            U16(0);
            U16(0);
            U16(0);
            U32(crc);
            U32((uint)size);
            U32((uint)size);
            U16((ushort)nameBytes.Length);
            U16(0); // extra
            U16(0); // comment
            U16(0); // disk
            U16(0); // internal attributes
            U32(0); // external attributes
            U32((uint)offset);
            _out.Write(nameBytes);
        }

        var directorySize = _out.Position - directoryStart;
        var zip64End = _out.Position;
        U32(0x06064b50);
        U64(44);
        U16(0x031e);
        U16(0x2d);
        U32(0);
        U32(0);
        U64((ulong)_entries.Count);
        U64((ulong)_entries.Count);
        U64((ulong)directorySize);
        U64((ulong)directoryStart);
        U32(0x07064b50);
        U32(0);
        U64((ulong)zip64End);
        U32(1);
        U32(0x06054b50);
        U16(0);
        U16(0);
        U16((ushort)_entries.Count);
        U16((ushort)_entries.Count);
        U32((uint)directorySize);
        U32((uint)directoryStart);
        U16(0);
        return _out.ToArray();
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xffffffffu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private void U16(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        _out.Write(b);
    }

    private void U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        _out.Write(b);
    }

    private void U64(ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        _out.Write(b);
    }
}
