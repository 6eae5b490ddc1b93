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
/// <see cref="IDeviceMemory.CopyToHost"/>, and state never leaves the device. Several graphs may
/// share their state (<see cref="AccumulatingTrainingSession"/>: micro-batch graph and apply graph).
/// </summary>
public sealed class TrainingSession : ITrainStepSession
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly StateStore _store;
    private readonly bool _ownsStore;
    private readonly StateSlot[] _state;
    private readonly StateSlot[] _reads = [];
    private readonly Dictionary<string, string> _nextNames;
    private readonly Dictionary<string, BoundBuffer> _feeds;
    private readonly Dictionary<string, BoundBuffer> _results;
    private readonly OrtIoBinding[] _bindings;
    private readonly IDeviceMemory? _memory;
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
        : this(model, device, shared: null, threads, configure, memory)
    {
        WriteState(initialState ?? new Dictionary<string, float[]>());
    }

    /// <summary>
    /// A session whose state lives in <paramref name="shared"/>, beside other graphs' state: an input
    /// that names state already in the store is read from it even where this graph does not update
    /// it (an accumulating step's micro-batch graph reads the parameters the apply graph updates).
    /// Each state tensor keeps its own ping-pong position, so a step binds the state afresh.
    /// </summary>
    internal TrainingSession(byte[] model, Device device, StateStore? shared, int threads, Action<SessionOptions>? configure, IDeviceMemory? memory)
    {
        Device = device;
        using var options = device.CreateSessionOptions(threads);
        // ONNX Runtime's memory pattern lays every intermediate of the step out in one block, with
        // gaps: off, a ResNet-18 step at batch 32 peaks 0.56 GB lower at 112 px and 1.5 GB at 224,
        // at the same speed (docs/BENCHMARKS.md, "Train-step memory").
        options.EnableMemoryPattern = false;
        configure?.Invoke(options);
        _session = new InferenceSession(model, options);
        var pairs = ParseStatePairs(_session);
        var inputs = _session.InputMetadata;
        var outputs = _session.OutputMetadata;
        _nextNames = pairs.ToDictionary(p => p.Input, p => p.Output);

        _ownsStore = shared is null;
        _store = shared ?? new StateStore();
        // The store's memory (CUDA's allocator comes from the first session that needs it) holds the state of every graph sharing it.
        _store.Memory ??= memory;
        if (_store.Memory is null && device.IsCuda) _store.UseOwnMemory(new CudaMemory(_session, device));
        _memory = _store.Memory;
        _state = pairs.Select(p =>
        {
            if (!inputs.TryGetValue(p.Input, out var meta)) throw new ArgumentException($"state input '{p.Input}' is not an input of the model");
            if (!outputs.ContainsKey(p.Output)) throw new ArgumentException($"state output '{p.Output}' is not an output of the model");
            if (meta.ElementDataType != TensorElementType.Float) throw new ArgumentException($"state '{p.Input}' must be float32");
            return _store.Add(p.Input, meta.Dimensions.Select(d => (long)d).ToArray());
        }).ToArray();
        var own = _state.Select(s => s.Name).ToHashSet();
        if (!_ownsStore) _reads = inputs.Keys.Where(n => !own.Contains(n) && _store.Contains(n)).Select(_store.Slot).ToArray();
        var stateInputs = _state.Concat(_reads).Select(s => s.Name).ToHashSet();
        var stateOutputs = _state.Select(s => NextName(s)).ToHashSet();
        _feeds = inputs.Where(kv => !stateInputs.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => new BoundBuffer(kv.Key, kv.Value));
        _results = outputs.Where(kv => !stateOutputs.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => new BoundBuffer(kv.Key, kv.Value));
        if (_memory is not null)
        {
            // Device twins of the host buffers, bound once; a step copies between the two.
            _feedHost = _feeds.Values.Select(f => f.Value).ToArray();
            _feedDevice = _feeds.Values.Select(f => _memory.Allocate(f.ElementType, f.Shape)).ToArray();
            _resultHost = _results.Values.Select(r => r.Value).ToArray();
            _resultDevice = _results.Values.Select(r => _memory.Allocate(r.ElementType, r.Shape)).ToArray();
        }

        // A session of its own binds the two ping-pong sets once; a shared store's state is bound before each step.
        _bindings = new OrtIoBinding[_ownsStore ? 2 : 1];
        for (var set = 0; set < _bindings.Length; set++)
        {
            var b = _session.CreateIoBinding();
            foreach (var s in _ownsStore ? _state : [])
            {
                b.BindInput(s.Name, s.Values[set]);
                b.BindOutput(NextName(s), s.Values[1 - set]);
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
    public long[] StateShape(string name) => _store.Slot(name).Shape.ToArray();

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
        var binding = _bindings[_ownsStore ? _current : 0];
        if (!_ownsStore)
        {
            foreach (var s in _reads) binding.BindInput(s.Name, s.Values[s.Current]);
            foreach (var s in _state)
            {
                binding.BindInput(s.Name, s.Values[s.Current]);
                binding.BindOutput(NextName(s), s.Values[1 - s.Current]);
            }
        }
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
        foreach (var s in _state) s.Current = 1 - s.Current;
        Steps++;
    }

    /// <summary>The host buffer behind feed <paramref name="name"/>, or null when the model has no such feed.</summary>
    internal BoundBuffer? FeedBuffer(string name) => _feeds.GetValueOrDefault(name);

    /// <summary>The host buffer behind result <paramref name="name"/>, or null when the model has no such result.</summary>
    internal BoundBuffer? ResultBuffer(string name) => _results.GetValueOrDefault(name);

    /// <summary>A metadata_props entry of the model, or null.</summary>
    internal string? Metadata(string key) => _session.ModelMetadata.CustomMetadataMap.GetValueOrDefault(key);

    /// <summary>Ends ONNX Runtime profiling (when enabled through the session options) and returns the trace file.</summary>
    public string EndProfiling() => _session.EndProfiling();

    /// <summary>Copies the current value of every state tensor to the host.</summary>
    public Dictionary<string, float[]> ReadState() => _store.Read(_state);

    /// <summary>The current value of one state tensor.</summary>
    public float[] ReadState(string name) => _store.Read([_store.Slot(name)])[name];

    /// <summary>Overwrites state; entries absent from <paramref name="values"/> become zero.</summary>
    public void WriteState(IReadOnlyDictionary<string, float[]> values) => _store.Write(_state, values);

    /// <summary>
    /// Where each state tensor lives: the allocator name of its memory (ONNX Runtime's "Cpu",
    /// "Cuda", ...) and the device id, for both ping-pong sets.
    /// </summary>
    public IEnumerable<(string Name, string Allocator, int DeviceId)> StateLocations() => StateStore.Locations(_state);

    public void Dispose()
    {
        foreach (var b in _bindings ?? []) b?.Dispose();
        foreach (var t in _feeds.Values.Concat(_results.Values)) t.Dispose();
        foreach (var v in _feedDevice.Concat(_resultDevice)) v.Dispose();
        if (_ownsStore) _store.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private string NextName(StateSlot s) => _nextNames[s.Name];

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
}

/// <summary>A fixed host buffer bound as a feed or a result.</summary>
internal sealed class BoundBuffer : IDisposable
{
    private readonly Array _buffer;

    public BoundBuffer(string name, NodeMetadata meta)
        : this(name, meta.ElementDataType, meta.Dimensions.Select(d => d < 0 ? throw new ArgumentException($"'{name}' has a dynamic dimension; train steps need static shapes") : (long)d).ToArray())
    {
    }

    public BoundBuffer(string name, TensorElementType type, long[] shape)
    {
        Name = name;
        ElementType = type;
        Shape = shape;
        var size = (int)Shape.Aggregate(1L, (a, b) => a * b);
        (_buffer, Value) = type switch
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

    /// <summary>The host array (of the element type's CLR type).</summary>
    public Array Buffer => _buffer;

    public Span<T> Span<T>() where T : unmanaged
        => _buffer is T[] typed ? typed : throw new ArgumentException($"'{Name}' holds {_buffer.GetType().GetElementType()!.Name}, not {typeof(T).Name}");

    public void Dispose() => Value.Dispose();

    private (Array, OrtValue) Make<T>(T[] data) where T : unmanaged => (data, OrtValue.CreateTensorValueFromMemory(data, Shape));
}
