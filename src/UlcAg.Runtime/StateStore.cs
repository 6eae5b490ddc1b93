using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace UlcAg.Runtime;

/// <summary>
/// The state tensors of one or more train-step graphs, each in two buffers (ping-pong) with its own
/// current position: a graph that updates a tensor reads the current buffer, writes the other and
/// flips the position. On the CPU the buffers are pinned host arrays; with <see cref="Memory"/> they
/// are device tensors, and state crosses to the host only in <see cref="Read"/> and <see cref="Write"/>.
/// </summary>
internal sealed class StateStore : IDisposable
{
    private readonly Dictionary<string, StateSlot> _slots = [];
    private bool _ownsMemory;

    /// <summary>The device memory holding the state, or null for host memory.</summary>
    public IDeviceMemory? Memory { get; set; }

    /// <summary>Uses <paramref name="memory"/> and disposes it with the store.</summary>
    public void UseOwnMemory(IDeviceMemory memory)
    {
        Memory = memory;
        _ownsMemory = true;
    }

    public bool Contains(string name) => _slots.ContainsKey(name);

    public StateSlot Slot(string name) => _slots.TryGetValue(name, out var s) ? s : throw new KeyNotFoundException($"no state named '{name}'");

    /// <summary>The slot named <paramref name="name"/>, created (zero) on first use; another graph's slot of that name must have the same shape.</summary>
    public StateSlot Add(string name, long[] shape)
    {
        if (_slots.TryGetValue(name, out var existing))
        {
            if (!existing.Shape.SequenceEqual(shape))
                throw new ArgumentException($"state '{name}' is {string.Join("x", existing.Shape)} in one graph and {string.Join("x", shape)} in another");
            return existing;
        }
        return _slots[name] = new StateSlot(name, shape, Memory);
    }

    /// <summary>Copies the current value of each of <paramref name="slots"/> to the host.</summary>
    public Dictionary<string, float[]> Read(IReadOnlyList<StateSlot> slots)
    {
        if (Memory is null) return slots.ToDictionary(s => s.Name, s => (float[])s.Host[s.Current]!.Clone());
        var result = slots.ToDictionary(s => s.Name, s => new float[s.Size]);
        var host = slots.Select(s => OrtValue.CreateTensorValueFromMemory(result[s.Name], s.Shape)).ToArray();
        try
        {
            Memory.CopyToHost(slots.Select(s => s.Values[s.Current]).ToArray(), host);
        }
        finally
        {
            foreach (var h in host) h.Dispose();
        }
        return result;
    }

    /// <summary>Overwrites <paramref name="slots"/>' current values; a slot absent from <paramref name="values"/> becomes zero, a name not among them is an error.</summary>
    public void Write(IReadOnlyList<StateSlot> slots, IReadOnlyDictionary<string, float[]> values)
    {
        var byName = slots.ToDictionary(s => s.Name);
        foreach (var key in values.Keys)
        {
            if (!byName.ContainsKey(key)) throw new ArgumentException($"'{key}' is not state of this model; state is: {string.Join(", ", byName.Keys.Take(8))}...");
        }
        var full = new Dictionary<string, float[]>();
        foreach (var s in slots)
        {
            var data = values.GetValueOrDefault(s.Name) ?? new float[s.Size];
            if (data.Length != s.Size) throw new ArgumentException($"state '{s.Name}' has {s.Size} elements ({string.Join("x", s.Shape)}), got {data.Length}");
            full[s.Name] = data;
        }
        if (Memory is not null)
        {
            var host = slots.Select(s => OrtValue.CreateTensorValueFromMemory(full[s.Name], s.Shape)).ToArray();
            try
            {
                Memory.CopyToDevice(host, slots.Select(s => s.Values[s.Current]).ToArray());
            }
            finally
            {
                foreach (var h in host) h.Dispose();
            }
            return;
        }
        foreach (var s in slots) full[s.Name].AsSpan().CopyTo(s.Host[s.Current]);
    }

    /// <summary>The allocator name and device id of both buffers of each of <paramref name="slots"/>.</summary>
    public static IEnumerable<(string Name, string Allocator, int DeviceId)> Locations(IEnumerable<StateSlot> slots)
    {
        foreach (var s in slots)
        {
            foreach (var v in s.Values)
            {
                var info = v.GetTensorMemoryInfo();
                yield return (s.Name, info.Name, info.Id);
            }
        }
    }

    public void Dispose()
    {
        foreach (var s in _slots.Values) s.Dispose();
        if (_ownsMemory) Memory?.Dispose();
    }
}

/// <summary>One state tensor: two buffers (CPU: over pinned host arrays) and which one holds the current value.</summary>
internal sealed class StateSlot : IDisposable
{
    public StateSlot(string name, long[] shape, IDeviceMemory? memory)
    {
        Name = name;
        Shape = shape;
        Size = shape.Aggregate(1L, (a, b) => a * b);
        for (var i = 0; i < 2; i++)
        {
            if (memory is null)
            {
                Host[i] = new float[Size];
                Values[i] = OrtValue.CreateTensorValueFromMemory(Host[i]!, shape);
            }
            else
            {
                Values[i] = memory.Allocate(TensorElementType.Float, shape);
            }
        }
    }

    public string Name { get; }
    public long[] Shape { get; }
    public long Size { get; }
    public OrtValue[] Values { get; } = new OrtValue[2];
    public float[]?[] Host { get; } = new float[]?[2];

    /// <summary>The buffer (0 or 1) holding the current value.</summary>
    public int Current { get; set; }

    public void Dispose()
    {
        foreach (var v in Values) v?.Dispose();
    }
}
