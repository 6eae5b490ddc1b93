using Microsoft.ML.OnnxRuntime;
using UlcAg.Graph;

namespace UlcAg.Runtime;

/// <summary>
/// Runs a train step whose batch is split into k micro-batches (gradient accumulation): k Runs of the
/// micro-batch graph, each adding its share of the gradient to accumulators, then one Run of the
/// apply graph, which updates parameters and optimizer state from the accumulated gradient and
/// zeroes the accumulators:
/// <code>
///   feeds [N,...] --slice j--> micro graph: params (read), G --> G + grad, BN stats', results [n,...]   j = 1..k
///   apply graph:   params, optimizer state, G --> params', state', G = 0                               once
/// </code>
/// Both graphs share one <see cref="StateStore"/>, so parameters, optimizer state, running
/// statistics and the accumulators never leave the device (CUDA, or any <see cref="IDeviceMemory"/>).
/// The caller sees one step of the effective batch N = k n: per-sample feeds and results (listed in
/// the micro graph's <see cref="TrainStep.PerSampleMetadataKey"/>) have the batch axis N and are cut
/// into, or assembled from, the micro-batches; a scalar result is the sum of the micro-batches'
/// values (the micro graph outputs each loss term as its micro-batch's share); other feeds go to the
/// graph that takes them. The accumulators are zero between steps, so <see cref="StateNames"/>
/// leaves them out and a checkpoint holds exactly what the single-graph step's holds.
/// </summary>
public sealed class AccumulatingTrainingSession : ITrainStepSession
{
    private readonly StateStore _store = new();
    private readonly TrainingSession _apply, _micro;
    private readonly StateSlot[] _kept;
    private readonly Dictionary<string, BoundBuffer> _batchFeeds = [], _batchResults = [], _sums = [];
    private readonly Dictionary<string, TrainingSession> _otherFeeds = [];

    /// <summary>
    /// Loads the micro-batch graph <paramref name="micro"/> and the apply graph <paramref name="apply"/>
    /// on <paramref name="device"/>; state, threads, options and memory as for <see cref="TrainingSession"/>.
    /// </summary>
    public AccumulatingTrainingSession(byte[] micro, byte[] apply, Device device, IReadOnlyDictionary<string, float[]>? initialState = null, int threads = 0,
        Action<SessionOptions>? configure = null, IDeviceMemory? memory = null)
    {
        Device = device;
        try
        {
            // The apply graph first: it declares the parameters, which the micro graph then reads.
            _apply = new TrainingSession(apply, device, _store, threads, configure, memory);
            _micro = new TrainingSession(micro, device, _store, threads, configure, memory);
            var sizes = (_micro.Metadata(TrainStep.AccumulationMetadataKey) ?? throw new ArgumentException($"the micro-batch graph has no '{TrainStep.AccumulationMetadataKey}' metadata"))
                .Split('\t').Select(int.Parse).ToArray();
            (MicroBatch, Batch) = (sizes[0], sizes[1]);
            if (MicroBatch < 1 || Batch % MicroBatch != 0) throw new ArgumentException($"batch {Batch} is not a multiple of micro-batch {MicroBatch}");
            var perSample = (_micro.Metadata(TrainStep.PerSampleMetadataKey) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();

            foreach (var name in _micro.FeedNames)
            {
                var b = _micro.FeedBuffer(name)!;
                if (perSample.Contains(name)) _batchFeeds[name] = Effective(b);
                else _otherFeeds[name] = _micro;
            }
            foreach (var name in _apply.FeedNames)
            {
                if (!_otherFeeds.TryAdd(name, _apply)) throw new ArgumentException($"feed '{name}' is an input of both graphs");
            }
            foreach (var name in _micro.ResultNames)
            {
                var b = _micro.ResultBuffer(name)!;
                if (perSample.Contains(name)) _batchResults[name] = Effective(b);
                else if (b.Shape.Length == 0 && b.ElementType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float) _sums[name] = new BoundBuffer(name, b.ElementType, []);
                else throw new ArgumentException($"result '{name}' is neither per sample nor a float scalar: no way to combine it over micro-batches");
            }
            // The accumulators are state of both graphs (added by the micro graph, zeroed by the apply graph).
            var accumulators = _micro.StateNames.Intersect(_apply.StateNames).ToHashSet();
            _kept = _apply.StateNames.Concat(_micro.StateNames).Distinct().Where(n => !accumulators.Contains(n)).Select(_store.Slot).ToArray();
            _store.Write([.. _kept, .. accumulators.Select(_store.Slot)], initialState ?? new Dictionary<string, float[]>());
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Samples per micro-batch.</summary>
    public int MicroBatch { get; }

    /// <summary>Samples per step (the effective batch).</summary>
    public int Batch { get; }

    /// <summary>Micro-batches per step.</summary>
    public int AccumulationSteps => Batch / MicroBatch;

    public Device Device { get; }

    public IReadOnlyCollection<string> FeedNames => [.. _batchFeeds.Keys, .. _otherFeeds.Keys];

    public IReadOnlyCollection<string> ResultNames => [.. _batchResults.Keys, .. _sums.Keys];

    public IEnumerable<string> StateNames => _kept.Select(s => s.Name);

    public long[] StateShape(string name) => _store.Slot(name).Shape.ToArray();

    public long Steps { get; private set; }

    public Span<T> Feed<T>(string name) where T : unmanaged
    {
        if (_batchFeeds.TryGetValue(name, out var b)) return b.Span<T>();
        return _otherFeeds.TryGetValue(name, out var s) ? s.Feed<T>(name) : throw new KeyNotFoundException($"no feed named '{name}'; feeds are: {string.Join(", ", FeedNames)}");
    }

    public ReadOnlySpan<T> Result<T>(string name) where T : unmanaged
        => (_batchResults.GetValueOrDefault(name) ?? _sums.GetValueOrDefault(name) ?? throw new KeyNotFoundException($"no result named '{name}'; results are: {string.Join(", ", ResultNames)}")).Span<T>();

    public long[] ShapeOf(string name)
    {
        if ((_batchFeeds.GetValueOrDefault(name) ?? _batchResults.GetValueOrDefault(name) ?? _sums.GetValueOrDefault(name)) is { } b) return b.Shape.ToArray();
        return _otherFeeds.TryGetValue(name, out var s) ? s.ShapeOf(name) : throw new KeyNotFoundException($"no feed or result named '{name}'");
    }

    /// <summary>The k micro-batch Runs, then the update.</summary>
    public void Step()
    {
        foreach (var s in _sums.Values) s.Span<float>()[0] = 0;
        for (var j = 0; j < AccumulationSteps; j++)
        {
            foreach (var (name, all) in _batchFeeds)
            {
                var part = _micro.FeedBuffer(name)!.Buffer;
                Array.Copy(all.Buffer, j * part.Length, part, 0, part.Length);
            }
            _micro.Step();
            foreach (var (name, all) in _batchResults)
            {
                var part = _micro.ResultBuffer(name)!.Buffer;
                Array.Copy(part, 0, all.Buffer, j * part.Length, part.Length);
            }
            foreach (var (name, sum) in _sums) sum.Span<float>()[0] += _micro.Result<float>(name)[0];
        }
        _apply.Step();
        Steps++;
    }

    public Dictionary<string, float[]> ReadState() => _store.Read(_kept);

    /// <summary>Overwrites the kept state; the accumulators stay zero.</summary>
    public void WriteState(IReadOnlyDictionary<string, float[]> values) => _store.Write(_kept, values);

    /// <summary>Where each state tensor of both graphs, accumulators included, lives (as <see cref="TrainingSession.StateLocations"/>).</summary>
    public IEnumerable<(string Name, string Allocator, int DeviceId)> StateLocations()
        => StateStore.Locations(_apply.StateNames.Concat(_micro.StateNames).Distinct().Select(_store.Slot));

    public void Dispose()
    {
        // The state first, the sessions last, as TrainingSession disposes its own: on CUDA the state
        // was allocated by the apply session's allocator, which must outlive it. A state value still
        // bound to a session is freed when that session releases its bindings, before the session.
        foreach (var b in _batchFeeds.Values.Concat(_batchResults.Values).Concat(_sums.Values)) b.Dispose();
        _store.Dispose();
        _micro?.Dispose();
        _apply?.Dispose();
    }

    /// <summary>A host buffer like <paramref name="micro"/>'s with the effective batch on the first axis.</summary>
    private BoundBuffer Effective(BoundBuffer micro)
    {
        if (micro.Shape.Length == 0 || micro.Shape[0] != MicroBatch)
            throw new ArgumentException($"'{micro.Name}' is listed per sample but its first axis is not the micro-batch ({MicroBatch})");
        return new BoundBuffer(micro.Name, micro.ElementType, [Batch, .. micro.Shape.Skip(1)]);
    }
}
