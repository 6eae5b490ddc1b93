namespace UlcAg.Training.Metrics;

/// <summary>
/// Counts of (true class, predicted class) pairs, and the scores read off them: accuracy, the mean
/// class accuracy the field reports for imbalanced FER sets (balanced accuracy), and per-class
/// accuracy, precision and recall. Rows are true classes, columns predicted classes.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;

    /// <summary>Wraps a square count table (copied); rows are true classes, columns predicted ones.</summary>
    /// <exception cref="ArgumentException">The table is not square, is empty, or holds a negative count.</exception>
    public ConfusionMatrix(int[,] counts)
    {
        if (counts.GetLength(0) != counts.GetLength(1) || counts.GetLength(0) == 0)
            throw new ArgumentException($"A confusion matrix needs a non-empty square table; got {counts.GetLength(0)}x{counts.GetLength(1)}.", nameof(counts));
        _counts = (int[,])counts.Clone();
        foreach (var count in _counts)
        {
            if (count < 0)
                throw new ArgumentException($"Confusion counts must be non-negative; found {count}.", nameof(counts));
            Total += count;
        }
    }

    /// <summary>Counts the pairs (<paramref name="truth"/>[i], <paramref name="predicted"/>[i]).</summary>
    /// <exception cref="ArgumentException">The arrays differ in length, or a label lies outside 0..classCount-1.</exception>
    public static ConfusionMatrix FromLabels(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int classCount)
    {
        if (classCount < 1)
            throw new ArgumentException($"Class count must be at least 1; got {classCount}.", nameof(classCount));
        if (truth.Length != predicted.Length)
            throw new ArgumentException($"{truth.Length} true labels but {predicted.Length} predictions; expected one prediction per label.", nameof(predicted));
        var counts = new int[classCount, classCount];
        for (var i = 0; i < truth.Length; i++)
        {
            CheckLabel(truth[i], classCount, i, nameof(truth));
            CheckLabel(predicted[i], classCount, i, nameof(predicted));
            counts[truth[i], predicted[i]]++;
        }
        return new ConfusionMatrix(counts);
    }

    /// <summary>Number of classes (rows and columns).</summary>
    public int ClassCount => _counts.GetLength(0);

    /// <summary>Number of counted samples.</summary>
    public long Total { get; }

    /// <summary>How many samples of class <paramref name="truth"/> were predicted as <paramref name="predicted"/>.</summary>
    public int this[int truth, int predicted] => _counts[truth, predicted];

    /// <summary>A copy of the count table.</summary>
    public int[,] ToArray() => (int[,])_counts.Clone();

    /// <summary>Samples whose true class is <paramref name="c"/> (row sum).</summary>
    public long Support(int c)
    {
        long sum = 0;
        for (var p = 0; p < ClassCount; p++)
            sum += _counts[c, p];
        return sum;
    }

    /// <summary>Samples predicted as <paramref name="c"/> (column sum).</summary>
    public long PredictedCount(int c)
    {
        long sum = 0;
        for (var t = 0; t < ClassCount; t++)
            sum += _counts[t, c];
        return sum;
    }

    /// <summary>Share of correct predictions; null for an empty matrix.</summary>
    public double? Accuracy
    {
        get
        {
            if (Total == 0)
                return null;
            long correct = 0;
            for (var c = 0; c < ClassCount; c++)
                correct += _counts[c, c];
            return (double)correct / Total;
        }
    }

    /// <summary>
    /// Mean of the per-class accuracies (balanced accuracy). Classes without samples are left out of the
    /// mean rather than counted as 0, so a split that lacks a class is not penalized for it; null when no
    /// class has samples.
    /// </summary>
    public double? MeanClassAccuracy
    {
        get
        {
            var sum = 0.0;
            var classes = 0;
            for (var c = 0; c < ClassCount; c++)
            {
                if (ClassAccuracy(c) is { } accuracy)
                {
                    sum += accuracy;
                    classes++;
                }
            }
            return classes == 0 ? null : sum / classes;
        }
    }

    /// <summary>Share of class <paramref name="c"/>'s samples predicted as <paramref name="c"/> (its recall); null without samples.</summary>
    public double? ClassAccuracy(int c) => Recall(c);

    /// <summary>Share of class <paramref name="c"/>'s samples predicted as <paramref name="c"/>; null without samples.</summary>
    public double? Recall(int c)
    {
        var support = Support(c);
        return support == 0 ? null : (double)_counts[c, c] / support;
    }

    /// <summary>Share of predictions of <paramref name="c"/> that are right; null when nothing was predicted as <paramref name="c"/>.</summary>
    public double? Precision(int c)
    {
        var predicted = PredictedCount(c);
        return predicted == 0 ? null : (double)_counts[c, c] / predicted;
    }

    /// <summary>Each row divided by its sum (rows without samples stay 0): the colors of a confusion heat map.</summary>
    public double[,] RowNormalized()
    {
        var shares = new double[ClassCount, ClassCount];
        for (var t = 0; t < ClassCount; t++)
        {
            var support = Support(t);
            for (var p = 0; p < ClassCount && support > 0; p++)
                shares[t, p] = (double)_counts[t, p] / support;
        }
        return shares;
    }

    private static void CheckLabel(int label, int classCount, int index, string name)
    {
        if (label < 0 || label >= classCount)
            throw new ArgumentException($"Label {label} at position {index} of '{name}' is out of range; expected 0..{classCount - 1}.", name);
    }
}
