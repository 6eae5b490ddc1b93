namespace UlcAg.Training.Metrics;

/// <summary>
/// An exponential moving average with bias correction (as in Adam), so the first values are not pulled
/// towards zero: a smooth per-step loss for progress display.
/// </summary>
public sealed class ExponentialMovingAverage
{
    private double _biased;
    private double _decayPower = 1;

    /// <summary>Creates an average where each new value has weight 1 - <paramref name="decay"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decay"/> is outside [0, 1).</exception>
    public ExponentialMovingAverage(double decay = 0.9)
    {
        if (!(decay >= 0 && decay < 1))
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "Decay must lie in [0, 1).");
        Decay = decay;
    }

    /// <summary>Weight of the old average at each update.</summary>
    public double Decay { get; }

    /// <summary>Values added so far.</summary>
    public long Count { get; private set; }

    /// <summary>The bias-corrected average; null before the first value.</summary>
    public double? Value => Count == 0 ? null : _biased / (1 - _decayPower);

    /// <summary>Adds one value.</summary>
    public void Add(double value)
    {
        _biased = Decay * _biased + (1 - Decay) * value;
        _decayPower *= Decay;
        Count++;
    }

    /// <summary>Forgets all values.</summary>
    public void Reset()
    {
        _biased = 0;
        _decayPower = 1;
        Count = 0;
    }
}
