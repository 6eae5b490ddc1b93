using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using UlcAg.Graph;

namespace UlcAg.Runtime;

/// <summary>
/// Runs a train-step graph (forward, loss, backward, update in one Run) in an ONNX Runtime
/// inference session. The state listed in the model's metadata (<see cref="TrainStep.StateMetadataKey"/>)
/// lives in two sets of OrtValues on the device; each step reads one set and writes the other
/// (an OrtValue must not be input and output of the same Run), then the roles swap:
/// <code>
///   step k (even):  state[A] --Run--> state[B]      binding 0
///   step k+1:       state[B] --Run--> state[A]      binding 1
/// </code>
/// Per step only the feeds (batch, labels, scalars) go in and the results (losses, per-sample
/// outputs) come out, both through fixed host buffers. On the CPU every tensor is host memory and
/// nothing is copied. On another device (<see cref="IDeviceMemory"/>: CUDA's allocator, or a
/// test's) state, feeds and results are device tensors, bound once; a step copies the feeds in
/// with one <see cref="IDeviceMemory.CopyToDevice"/> and the results out with one
/// <see cref="IDeviceMemory.CopyToHost"/>, and state never leaves the device.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly StateSlot[] _state;
    private readonly Dictionary<string, StateSlot> _stateByName;
    private readonly Dictionary<string, BoundBuffer> _feeds;
    private readonly Dictionary<string, BoundBuffer> _results;
    private readonly OrtIoBinding[] _bindings;
    private readonly IDeviceMemory? _memory;
    private readonly bool _ownsMemory;
    private readonly OrtValue[] _feedHost = [], _feedDevice = [], _resultHost = [], _resultDevice = [];
    private int _current;

    /// <summary>
    /// Loads <paramref name="model"/> on <paramref name="device"/>. State not given in
    /// <paramref name="initialState"/> starts at zero (optimizer buffers); an entry that names no
    /// state, or has the wrong size, is an error. <paramref name="memory"/> puts state, feeds and
    /// results in another device's memory (the session keeps it, not owns it); without it a CUDA
    /// device uses its own allocator and the CPU uses host memory.
    /// </summary>
    public TrainingSession(byte[] model, Device device, IReadOnlyDictionary<string, float[]>? initialState = null, int threads = 0,
        Action<SessionOptions>? configure = null, IDeviceMemory? memory = null)
    {
        Device = device;
        using var options = device.CreateSessionOptions(threads);
        configure?.Invoke(options);
        _session = new InferenceSession(model, options);
        var pairs = ParseStatePairs(_session);
        var inputs = _session.InputMetadata;
        var outputs = _session.OutputMetadata;

        _memory = memory;
        if (_memory is null && device.IsCuda)
        {
            _memory = new CudaMemory(_session, device);
            _ownsMemory = true;
        }
        _state = pairs.Select(p =>
        {
            if (!inputs.TryGetValue(p.Input, out var meta)) throw new ArgumentException($"state input '{p.Input}' is not an input of the model");
            if (!outputs.ContainsKey(p.Output)) throw new ArgumentException($"state output '{p.Output}' is not an output of the model");
            if (meta.ElementDataType != TensorElementType.Float) throw new ArgumentException($"state '{p.Input}' must be float32");
            return new StateSlot(p.Input, p.Output, meta.Dimensions.Select(d => (long)d).ToArray(), _memory);
        }).ToArray();
        _stateByName = _state.ToDictionary(s => s.Name);
        var stateOutputs = _state.Select(s => s.NextName).ToHashSet();
        _feeds = inputs.Where(kv => !_stateByName.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => new BoundBuffer(kv.Key, kv.Value));
        _results = outputs.Where(kv => !stateOutputs.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => new BoundBuffer(kv.Key, kv.Value));
        if (_memory is not null)
        {
            // Device twins of the host buffers, bound once; a step copies between the two.
            _feedHost = _feeds.Values.Select(f => f.Value).ToArray();
            _feedDevice = _feeds.Values.Select(f => _memory.Allocate(f.ElementType, f.Shape)).ToArray();
            _resultHost = _results.Values.Select(r => r.Value).ToArray();
            _resultDevice = _results.Values.Select(r => _memory.Allocate(r.ElementType, r.Shape)).ToArray();
        }

        if (initialState is not null) WriteState(initialState);
        else WriteState(new Dictionary<string, float[]>());

        _bindings = new OrtIoBinding[2];
        for (var set = 0; set < 2; set++)
        {
            var b = _session.CreateIoBinding();
            foreach (var s in _state)
            {
                b.BindInput(s.Name, s.Values[set]);
                b.BindOutput(s.NextName, s.Values[1 - set]);
            }
            if (_memory is null)
            {
                foreach (var r in _results.Values) b.BindOutput(r.Name, r.Value);
            }
            else
            {
                var k = 0;
                foreach (var f in _feeds.Values) b.BindInput(f.Name, _feedDevice[k++]);
                k = 0;
                foreach (var r in _results.Values) b.BindOutput(r.Name, _resultDevice[k++]);
            }
            _bindings[set] = b;
        }
    }

    public Device Device { get; }
    public IReadOnlyCollection<string> FeedNames => _feeds.Keys;
    public IReadOnlyCollection<string> ResultNames => _results.Keys;
    public IEnumerable<string> StateNames => _state.Select(s => s.Name);
    public long[] StateShape(string name) => Slot(name).Shape.ToArray();

    /// <summary>Number of steps run.</summary>
    public long Steps { get; private set; }

    /// <summary>The host buffer of feed <paramref name="name"/>, to be filled before <see cref="Step"/>.</summary>
    public Span<T> Feed<T>(string name) where T : unmanaged => Host(_feeds, name, "feed").Span<T>();

    /// <summary>The host buffer of result <paramref name="name"/>, valid after <see cref="Step"/> until the next one.</summary>
    public ReadOnlySpan<T> Result<T>(string name) where T : unmanaged => Host(_results, name, "result").Span<T>();

    /// <summary>Shape of a feed or result.</summary>
    public long[] ShapeOf(string name) => (_feeds.GetValueOrDefault(name) ?? _results.GetValueOrDefault(name) ?? throw new KeyNotFoundException($"no feed or result named '{name}'")).Shape.ToArray();

    /// <summary>Runs one train step: reads the current state set, writes the other, swaps.</summary>
    public void Step()
    {
        var binding = _bindings[_current];
        if (_memory is null)
        {
            // Host memory: the feed buffers themselves are bound (rebinding keeps ONNX Runtime reading them).
            foreach (var f in _feeds.Values) binding.BindInput(f.Name, f.Value);
            _session.RunWithBinding(_runOptions, binding);
            binding.SynchronizeBoundOutputs();
        }
        else
        {
            _memory.CopyToDevice(_feedHost, _feedDevice);
            _session.RunWithBinding(_runOptions, binding);
            binding.SynchronizeBoundOutputs();
            _memory.CopyToHost(_resultDevice, _resultHost);
        }
        _current = 1 - _current;
        Steps++;
    }

    /// <summary>Ends ONNX Runtime profiling (when enabled through the session options) and returns the trace file.</summary>
    public string EndProfiling() => _session.EndProfiling();

    /// <summary>Copies the current value of every state tensor to the host.</summary>
    public Dictionary<string, float[]> ReadState()
    {
        if (_memory is not null) return Download(_state);
        return _state.ToDictionary(s => s.Name, s => (float[])s.Host[_current]!.Clone());
    }

    /// <summary>The current value of one state tensor.</summary>
    public float[] ReadState(string name)
    {
        var slot = Slot(name);
        return _memory is null ? (float[])slot.Host[_current]!.Clone() : Download([slot])[name];
    }

    /// <summary>Overwrites state; entries absent from <paramref name="values"/> become zero.</summary>
    public void WriteState(IReadOnlyDictionary<string, float[]> values)
    {
        foreach (var key in values.Keys)
        {
            if (!_stateByName.ContainsKey(key)) throw new ArgumentException($"'{key}' is not state of this model; state is: {string.Join(", ", _stateByName.Keys.Take(8))}...");
        }
        var full = new Dictionary<string, float[]>();
        foreach (var s in _state)
        {
            var data = values.GetValueOrDefault(s.Name) ?? new float[s.Size];
            if (data.Length != s.Size) throw new ArgumentException($"state '{s.Name}' has {s.Size} elements ({string.Join("x", s.Shape)}), got {data.Length}");
            full[s.Name] = data;
        }
        if (_memory is not null)
        {
            var host = _state.Select(s => OrtValue.CreateTensorValueFromMemory(full[s.Name], s.Shape)).ToArray();
            try
            {
                _memory.CopyToDevice(host, _state.Select(s => s.Values[_current]).ToArray());
            }
            finally
            {
                foreach (var h in host) h.Dispose();
            }
            return;
        }
        foreach (var s in _state) full[s.Name].AsSpan().CopyTo(s.Host[_current]);
    }

    /// <summary>
    /// Where each state tensor lives: the allocator name of its memory (ONNX Runtime's "Cpu",
    /// "Cuda", ...) and the device id, for both ping-pong sets.
    /// </summary>
    public IEnumerable<(string Name, string Allocator, int DeviceId)> StateLocations()
    {
        foreach (var s in _state)
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
        foreach (var b in _bindings ?? []) b?.Dispose();
        foreach (var s in _state) s.Dispose();
        foreach (var t in _feeds.Values.Concat(_results.Values)) t.Dispose();
        foreach (var v in _feedDevice.Concat(_resultDevice)) v.Dispose();
        if (_ownsMemory) _memory?.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private Dictionary<string, float[]> Download(IReadOnlyList<StateSlot> slots)
    {
        var result = slots.ToDictionary(s => s.Name, s => new float[s.Size]);
        var host = slots.Select(s => OrtValue.CreateTensorValueFromMemory(result[s.Name], s.Shape)).ToArray();
        try
        {
            _memory!.CopyToHost(slots.Select(s => s.Values[_current]).ToArray(), host);
        }
        finally
        {
            foreach (var h in host) h.Dispose();
        }
        return result;
    }

    private StateSlot Slot(string name) => _stateByName.TryGetValue(name, out var s) ? s : throw new KeyNotFoundException($"no state named '{name}'");

    private static BoundBuffer Host(Dictionary<string, BoundBuffer> map, string name, string what)
        => map.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"no {what} named '{name}'; {what}s are: {string.Join(", ", map.Keys)}");

    private static List<(string Input, string Output)> ParseStatePairs(InferenceSession session)
    {
        if (!session.ModelMetadata.CustomMetadataMap.TryGetValue(TrainStep.StateMetadataKey, out var text))
            throw new ArgumentException($"the model has no '{TrainStep.StateMetadataKey}' metadata: it is not a train-step graph");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var parts = line.Split('\t');
            return (parts[0], parts[1]);
        }).ToList();
    }

    /// <summary>One state tensor: two device buffers (CPU: over pinned host arrays).</summary>
    private sealed class StateSlot : IDisposable
    {
        public StateSlot(string name, string nextName, long[] shape, IDeviceMemory? memory)
        {
            Name = name;
            NextName = nextName;
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
        public string NextName { get; }
        public long[] Shape { get; }
        public long Size { get; }
        public OrtValue[] Values { get; } = new OrtValue[2];
        public float[]?[] Host { get; } = new float[]?[2];

        public void Dispose()
        {
            foreach (var v in Values) v?.Dispose();
        }
    }
}

/// <summary>A fixed host buffer bound as a feed or a result.</summary>
internal sealed class BoundBuffer : IDisposable
{
    private readonly Array _buffer;

    public BoundBuffer(string name, NodeMetadata meta)
    {
        Name = name;
        ElementType = meta.ElementDataType;
        Shape = meta.Dimensions.Select(d => d < 0 ? throw new ArgumentException($"'{name}' has a dynamic dimension; train steps need static shapes") : (long)d).ToArray();
        var size = (int)Shape.Aggregate(1L, (a, b) => a * b);
        (_buffer, Value) = meta.ElementDataType switch
        {
            TensorElementType.Float => Make(new float[size]),
            TensorElementType.Int64 => Make(new long[size]),
            TensorElementType.UInt8 => Make(new byte[size]),
            TensorElementType.Int32 => Make(new int[size]),
            TensorElementType.Bool => Make(new bool[size]),
            var t => throw new ArgumentException($"'{name}' has unsupported element type {t}"),
        };
    }

    public string Name { get; }
    public TensorElementType ElementType { get; }
    public long[] Shape { get; }
    public OrtValue Value { get; }

    public Span<T> Span<T>() where T : unmanaged
        => _buffer is T[] typed ? typed : throw new ArgumentException($"'{Name}' holds {_buffer.GetType().GetElementType()!.Name}, not {typeof(T).Name}");

    public void Dispose() => Value.Dispose();

    private (Array, OrtValue) Make<T>(T[] data) where T : unmanaged => (data, OrtValue.CreateTensorValueFromMemory(data, Shape));
}
