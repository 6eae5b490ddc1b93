using UlcAg.Network.Models;

namespace UlcAg.Training.Correction;

/// <summary>
/// AU scores trained with the forward-corrected loss (<c>model.au_loss: forward</c>), put back on the AU
/// labels' scale for the templates: logit q with q = rho + (1 - rho) sigmoid(s), per AU with its own
/// false-positive rate rho. Those scores estimate the AU itself, and an AU the branch is sure is absent
/// can sit at any depth below 0, which says nothing of the expression but moves the distances to the
/// templates (eq. 8-9); on the labels' scale every sure absence sits near logit rho, as BCE's scores do.
/// Monotone per AU, so each AU ranks the faces as s does. The decisions' AU view reads s as it is.
/// </summary>
public sealed class AuLabelScale
{
    private readonly double[] _logRho, _logNotRho;

    /// <param name="falsePositiveRates">Each AU's rate, in (0, 1).</param>
    public AuLabelScale(float[] falsePositiveRates)
    {
        ArgumentNullException.ThrowIfNull(falsePositiveRates);
        if (!Losses.AreValidFalsePositiveRates(falsePositiveRates)) throw new ArgumentOutOfRangeException(nameof(falsePositiveRates), "each false-positive rate must be in (0, 1)");
        _logRho = [.. falsePositiveRates.Select(r => Math.Log(r))];
        _logNotRho = [.. falsePositiveRates.Select(r => Math.Log(1 - r))];
    }

    /// <summary>Width of the vectors mapped.</summary>
    public int Size => _logRho.Length;

    /// <summary>One vector of scores on the labels' scale.</summary>
    public float[] Map(ReadOnlySpan<float> s)
    {
        if (s.Length != Size) throw new ArgumentException($"{s.Length} scores for {Size} AUs");
        var mapped = new float[Size];
        for (var k = 0; k < Size; k++)
        {
            // log sigmoid(s) = -softplus(-s), log(1 - sigmoid(s)) = -softplus(s); log q = log(rho + (1 - rho) sigmoid(s)) as a log-sum-exp.
            double x = s[k], logSig = -Softplus(-x), logNotSig = -Softplus(x);
            // log(e^a + e^b) = b + softplus(a - b), with a = log rho and b = log((1 - rho) sigmoid(s)).
            var b = _logNotRho[k] + logSig;
            var logQ = b + Softplus(_logRho[k] - b);
            mapped[k] = (float)(logQ - (_logNotRho[k] + logNotSig));
        }
        return mapped;
    }

    /// <summary>Every row of <paramref name="x"/> [N, Size] on the labels' scale.</summary>
    public float[] MapRows(float[] x)
    {
        if (Size == 0 || x.Length % Size != 0) throw new ArgumentException($"{x.Length} values are not rows of {Size} AU scores");
        var mapped = new float[x.Length];
        for (var i = 0; i < x.Length / Size; i++) Map(x.AsSpan(i * Size, Size)).CopyTo(mapped, i * Size);
        return mapped;
    }

    private static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));
}
