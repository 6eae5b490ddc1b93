using System.Runtime.ExceptionServices;

namespace UlcAg.Data.Loading;

/// <summary>
/// Fills batches [first, end) on worker threads, at most <c>capacity</c> batches beyond the oldest
/// one the consumer still holds, and hands them out strictly in order.
/// </summary>
/// <remarks>
/// Workers claim batch numbers in increasing order. Batch b may be claimed only while
/// b &lt; released + capacity, where every batch below <c>released</c> has been given back; so at most
/// <c>capacity</c> batches (including the one the consumer holds) exist at once, batch b can park in
/// ring slot b mod capacity without collisions, and a buffer pool of that size never runs dry.
/// </remarks>
internal sealed class BatchPrefetcher : IDisposable
{
    private readonly object _gate = new();
    private readonly int _end;
    private readonly int _capacity;
    private readonly Func<LoaderBatch> _allocate;
    private readonly Action<int, LoaderBatch> _fill;
    private readonly bool _reuse;
    private readonly LoaderBatch?[] _ready;
    private readonly Stack<LoaderBatch> _pool = new();
    private readonly Thread[] _threads;
    private readonly CancellationTokenRegistration _cancelRegistration;
    private readonly CancellationToken _cancellation;
    private int _nextClaim;
    private int _released;
    private bool _stopping;
    private ExceptionDispatchInfo? _error;

    public BatchPrefetcher(
        int first, int end, int workers, int prefetch, Func<LoaderBatch> allocate, Action<int, LoaderBatch> fill,
        bool reuse, CancellationToken cancellation)
    {
        _end = end;
        _nextClaim = first;
        _released = first;
        _capacity = Math.Max(prefetch, workers) + 1;
        _allocate = allocate;
        _fill = fill;
        _reuse = reuse;
        _cancellation = cancellation;
        _ready = new LoaderBatch?[_capacity];
        _threads = new Thread[workers];
        _cancelRegistration = cancellation.Register(Stop);
        for (var i = 0; i < workers; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"UlcAg loader worker {i}" };
            _threads[i].Start();
        }
    }

    /// <summary>Waits for batch <paramref name="b"/>, which must be the lowest not yet taken.</summary>
    public LoaderBatch Take(int b)
    {
        if (_threads.Length == 0)
        {
            _cancellation.ThrowIfCancellationRequested();
            var batch = Rent();
            _fill(b, batch);
            return batch;
        }

        lock (_gate)
        {
            var slot = b % _capacity;
            while (_ready[slot] is null && _error is null && !_cancellation.IsCancellationRequested)
            {
                Monitor.Wait(_gate);
            }

            _error?.Throw();
            _cancellation.ThrowIfCancellationRequested();
            var ready = _ready[slot]!;
            _ready[slot] = null;
            return ready;
        }
    }

    /// <summary>Gives batch <paramref name="b"/> back: its buffers may be refilled now.</summary>
    public void Release(int b, LoaderBatch batch)
    {
        lock (_gate)
        {
            if (_reuse)
            {
                _pool.Push(batch);
            }

            _released = b + 1;
            Monitor.PulseAll(_gate);
        }
    }

    public void Dispose()
    {
        Stop();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _cancelRegistration.Dispose();
    }

    private void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
    }

    private LoaderBatch Rent()
    {
        lock (_gate)
        {
            if (_pool.TryPop(out var pooled))
            {
                return pooled;
            }
        }

        return _allocate();
    }

    private void Work()
    {
        while (true)
        {
            int b;
            lock (_gate)
            {
                while (!_stopping && _nextClaim < _end && _nextClaim >= _released + _capacity)
                {
                    Monitor.Wait(_gate);
                }

                if (_stopping || _nextClaim >= _end)
                {
                    return;
                }

                b = _nextClaim++;
            }

            try
            {
                var batch = Rent();
                _fill(b, batch);
                lock (_gate)
                {
                    _ready[b % _capacity] = batch;
                    Monitor.PulseAll(_gate);
                }
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    _error ??= ExceptionDispatchInfo.Capture(e);
                    _stopping = true;
                    Monitor.PulseAll(_gate);
                }

                return;
            }
        }
    }
}
