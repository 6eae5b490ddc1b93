namespace UlcAg.Training.Metrics;

/// <summary>A weighted mean built one value at a time, e.g. a loss term over the batches of an epoch.</summary>
public sealed class RunningMean
{
    private double _sum;

    /// <summary>Total weight added (e.g. samples seen).</summary>
    public double Weight { get; private set; }

    /// <summary>Sum of the values times their weights.</summary>
    public double Sum => _sum;

    /// <summary>The mean so far; null before the first value.</summary>
    public double? Mean => Weight > 0 ? _sum / Weight : null;

    /// <summary>Adds <paramref name="value"/> with <paramref name="weight"/> (e.g. the batch size for a batch mean).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The weight is negative or not finite.</exception>
    public void Add(double value, double weight = 1)
    {
        if (!double.IsFinite(weight) || weight < 0)
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "Weight must be finite and non-negative.");
        _sum += value * weight;
        Weight += weight;
    }

    /// <summary>Continues from a <see cref="Sum"/> and <see cref="Weight"/> saved earlier (a resumed epoch), exactly as if their values were added again.</summary>
    public static RunningMean FromTotals(double sum, double weight) => new() { _sum = sum, Weight = weight };

    /// <summary>Forgets all values.</summary>
    public void Reset()
    {
        _sum = 0;
        Weight = 0;
    }
}
