namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// One storage of a torch zip checkpoint (<c>&lt;archive&gt;/data/&lt;key&gt;</c>): raw little-endian
/// bytes and the element type the persistent id gave them. Tensors are strided views into it.
/// </summary>
internal sealed class TorchStorage(string key, ElementType type, byte[] bytes)
{
    private readonly Dictionary<ElementType, float[]> _decoded = [];

    public string Key { get; } = key;

    public ElementType Type { get; } = type;

    public byte[] Bytes { get; } = bytes;

    /// <summary>The storage read as values of <paramref name="type"/>, decoded once per type.</summary>
    public float[] ValuesAs(ElementType type)
    {
        if (!_decoded.TryGetValue(type, out var values))
        {
            values = new float[Bytes.Length / ElementDecoder.SizeOf(type)];
            ElementDecoder.ToSingle(Bytes, type, values);
            _decoded[type] = values;
        }

        return values;
    }
}
