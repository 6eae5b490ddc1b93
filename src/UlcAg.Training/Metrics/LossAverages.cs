namespace UlcAg.Training.Metrics;

/// <summary>
/// Per-term averages of the losses a train step reports: the epoch mean (weighted by batch size) for the
/// metrics log, and a smoothed recent value for progress display.
/// </summary>
public sealed class LossAverages
{
    private readonly double _decay;
    private readonly Dictionary<string, (RunningMean Epoch, ExponentialMovingAverage Recent)> _terms = [];
    private readonly List<string> _order = [];

    /// <summary>Creates empty averages; <paramref name="decay"/> sets the smoothing of <see cref="Recent"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decay"/> is outside [0, 1).</exception>
    public LossAverages(double decay = 0.9)
    {
        if (!(decay >= 0 && decay < 1))
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "Decay must lie in [0, 1).");
        _decay = decay;
    }

    /// <summary>Adds one step's loss terms, each the mean over a batch of <paramref name="batchSize"/> samples.</summary>
    public void Add(IReadOnlyDictionary<string, double> terms, int batchSize)
    {
        foreach (var (name, value) in terms)
        {
            if (!_terms.TryGetValue(name, out var average))
            {
                average = (new RunningMean(), new ExponentialMovingAverage(_decay));
                _terms[name] = average;
                _order.Add(name);
            }
            average.Epoch.Add(value, batchSize);
            average.Recent.Add(value);
        }
    }

    /// <summary>Each term's weighted sum and weight so far, in display order: what a checkpoint in mid-epoch keeps.</summary>
    public IReadOnlyDictionary<string, LossTotal> Totals =>
        LossTerms.Ordered(_order).ToDictionary(name => name, name => new LossTotal(_terms[name].Epoch.Sum, _terms[name].Epoch.Weight));

    /// <summary>
    /// Continues the epoch means from <paramref name="totals"/> saved by <see cref="Totals"/>, so that a
    /// resumed epoch reports the same means as an uninterrupted one. The smoothed recent values start afresh.
    /// </summary>
    public void Restore(IReadOnlyDictionary<string, LossTotal> totals)
    {
        Reset();
        foreach (var (name, total) in totals)
        {
            _terms[name] = (RunningMean.FromTotals(total.Sum, total.Weight), new ExponentialMovingAverage(_decay));
            _order.Add(name);
        }
    }

    /// <summary>Mean of each term since the last <see cref="Reset"/>, in display order.</summary>
    public IReadOnlyDictionary<string, double> EpochMeans => Collect(a => a.Epoch.Mean);

    /// <summary>Smoothed recent value of each term, in display order.</summary>
    public IReadOnlyDictionary<string, double> Recent => Collect(a => a.Recent.Value);

    /// <summary>Forgets all values (call at the start of an epoch).</summary>
    public void Reset()
    {
        _terms.Clear();
        _order.Clear();
    }

    private Dictionary<string, double> Collect(Func<(RunningMean Epoch, ExponentialMovingAverage Recent), double?> pick)
    {
        var values = new Dictionary<string, double>();
        foreach (var name in LossTerms.Ordered(_order))
        {
            if (pick(_terms[name]) is { } value)
                values[name] = value;
        }
        return values;
    }
}

/// <summary>One loss term's weighted sum and total weight over the batches of an epoch so far.</summary>
public sealed record LossTotal(double Sum, double Weight);
