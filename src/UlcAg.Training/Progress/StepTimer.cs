using UlcAg.Training.Metrics;

namespace UlcAg.Training.Progress;

/// <summary>
/// Turns step completions into <see cref="StepProgress"/>: throughput and the time left in the epoch from a
/// moving average of step durations (so the slow first step of an epoch, with its session warm-up, fades
/// out quickly), and smoothed loss terms.
/// </summary>
public sealed class StepTimer
{
    private readonly TimeProvider _time;
    private readonly ExponentialMovingAverage _stepSeconds = new(0.9);
    private readonly LossAverages _losses = new(0.9);
    private EpochStart? _epoch;
    private long _last;
    private int _step;

    /// <summary>Creates a timer on <paramref name="time"/> (the system clock when null).</summary>
    public StepTimer(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Starts timing <paramref name="epoch"/>.</summary>
    public void Start(EpochStart epoch)
    {
        _epoch = epoch;
        _stepSeconds.Reset();
        _losses.Reset();
        _step = 0;
        _last = _time.GetTimestamp();
    }

    /// <summary>Records a finished step with its loss terms (batch means) and returns the progress to show.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Start"/> was not called.</exception>
    public StepProgress Step(IReadOnlyDictionary<string, double> losses)
    {
        var epoch = _epoch ?? throw new InvalidOperationException("StepTimer.Start must be called at the start of the epoch.");
        var now = _time.GetTimestamp();
        _stepSeconds.Add(_time.GetElapsedTime(_last, now).TotalSeconds);
        _last = now;
        _step++;
        _losses.Add(losses, epoch.BatchSize);

        var perStep = _stepSeconds.Value!.Value;
        double? imagesPerSecond = perStep > 0 ? epoch.BatchSize / perStep : null;
        TimeSpan? remaining = perStep > 0 ? TimeSpan.FromSeconds(perStep * Math.Max(0, epoch.Steps - _step)) : null;
        return new StepProgress(epoch.Epoch, epoch.TotalEpochs, _step, epoch.Steps, imagesPerSecond, remaining, _losses.Recent);
    }
}
