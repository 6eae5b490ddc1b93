using System.Globalization;

namespace UlcAg.Data.Cache;

/// <summary>
/// Progress of a cache build as plain lines, for a terminal and a log alike: photos done, the rate
/// since the build started and the time left at that rate, at most once per <see cref="Interval"/>,
/// and a last line when every photo is done. Pass it as the progress of
/// <see cref="ImageCache.OpenOrBuild"/>; a reused cache reports nothing. Safe to call from the build's
/// worker threads: counts may arrive out of order, and only a count above the last one shown counts.
/// </summary>
public sealed class CacheBuildProgress : IProgress<int>
{
    private readonly string _what;
    private readonly int _total;
    private readonly Action<string> _write;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private long _start;
    private long _lastLine;
    private int _done;
    private bool _started;

    /// <summary>Reports a build of <paramref name="total"/> photos to <paramref name="write"/>, one line per call.</summary>
    /// <param name="what">Names the cache at the start of every line, e.g. "cache train".</param>
    /// <param name="total">Photos in the split.</param>
    /// <param name="write">Receives each line (called under a lock, one call at a time).</param>
    /// <param name="interval">Least time between two lines before the last (default 5 s).</param>
    /// <param name="time">The clock (tests pass their own).</param>
    /// <exception cref="ArgumentOutOfRangeException">The total or the interval is negative.</exception>
    public CacheBuildProgress(string what, int total, Action<string> write, TimeSpan? interval = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(what);
        ArgumentNullException.ThrowIfNull(write);
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        Interval = interval ?? TimeSpan.FromSeconds(5);
        ArgumentOutOfRangeException.ThrowIfLessThan(Interval, TimeSpan.Zero, nameof(interval));
        _what = what;
        _total = total;
        _write = write;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The least time between two progress lines.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Lines written so far.</summary>
    public int Lines { get; private set; }

    /// <summary>Starts the clock; called by the first <see cref="Report"/> when not called before.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (!_started)
            {
                _started = true;
                _start = _lastLine = _time.GetTimestamp();
            }
        }
    }

    /// <summary>Takes the number of photos done so far.</summary>
    public void Report(int value)
    {
        Start();
        lock (_gate)
        {
            if (value <= _done)
            {
                return;
            }

            _done = value;
            var now = _time.GetTimestamp();
            var elapsed = _time.GetElapsedTime(_start, now);
            if (_done >= _total)
            {
                Emit(Finished(_what, _done, elapsed), now);
            }
            else if (_time.GetElapsedTime(_lastLine, now) >= Interval)
            {
                Emit(Line(_what, _done, _total, elapsed), now);
            }
        }
    }

    /// <summary>A progress line: "cache train: 4,200 / 13,700 photos (30.7%), 215.0 photos/s, 44 s left".</summary>
    public static string Line(string what, int done, int total, TimeSpan elapsed)
    {
        var rate = Rate(done, elapsed);
        var left = rate > 0 ? Duration(TimeSpan.FromSeconds((total - done) / rate)) + " left" : "time left unknown";
        return string.Create(CultureInfo.InvariantCulture,
            $"{what}: {done:N0} / {total:N0} photos ({100.0 * done / Math.Max(1, total):F1}%), {rate:F1} photos/s, {left}");
    }

    /// <summary>The last line: "cache train: 13,700 photos in 1 min 4 s, 215.0 photos/s".</summary>
    public static string Finished(string what, int total, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{what}: {total:N0} photos in {Duration(elapsed)}, {Rate(total, elapsed):F1} photos/s");

    private static double Rate(int done, TimeSpan elapsed) => elapsed > TimeSpan.Zero ? done / elapsed.TotalSeconds : 0;

    // "45 s", "1 min 4 s", "2 h 5 min"; under 10 s with a decimal.
    private static string Duration(TimeSpan t) => t.TotalSeconds switch
    {
        < 10 => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F1} s"),
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalSeconds} s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes} min {t.Seconds} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours} h {t.Minutes} min"),
    };

    private void Emit(string line, long now)
    {
        _write(line);
        _lastLine = now;
        Lines++;
    }
}
