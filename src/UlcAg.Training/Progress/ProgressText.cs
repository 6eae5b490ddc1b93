using System.Globalization;
using System.Text;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Progress;

/// <summary>The words and numbers of progress lines, shared by every reporter (invariant culture).</summary>
public static class ProgressText
{
    /// <summary>"epoch 3/30: 240 steps of 64 images".</summary>
    public static string EpochStartLine(EpochStart start) =>
        $"epoch {start.Epoch}/{start.TotalEpochs}: {start.Steps} steps of {start.BatchSize} images";

    /// <summary>"epoch 3/30  step 120/240 (50%)  612.3 img/s  ETA 1:02  loss total 1.2345 wce 0.9000 ...".</summary>
    public static string StepLine(StepProgress step) =>
        $"epoch {step.Epoch}/{step.TotalEpochs}  step {step.Step}/{step.Steps} ({step.Fraction * 100:0}%)  {StepStats(step)}";

    /// <summary>
    /// The throughput, time left and losses of a step: "612.3 img/s  ETA 1:02  loss total 1.2345 wce 0.9000";
    /// with <paramref name="mainLossOnly"/>, only the first loss in display order (the total), for narrow terminals.
    /// </summary>
    public static string StepStats(StepProgress step, bool mainLossOnly = false)
    {
        var text = new StringBuilder();
        text.Append(step.ImagesPerSecond is { } speed ? Invariant($"{speed:0.0} img/s") : "-- img/s");
        text.Append("  ETA ").Append(step.Remaining is { } left ? Duration(left) : "--");
        if (step.Losses.Count > 0)
        {
            var names = LossTerms.Ordered(step.Losses.Keys);
            text.Append("  loss ").AppendJoin(' ', names.Take(mainLossOnly ? 1 : names.Count).Select(k => $"{k} {Number(step.Losses[k])}"));
        }
        return text.ToString();
    }

    /// <summary>
    /// The one-line epoch summary: "epoch 3/30 done in 1:01  loss total 1.1452 (wce 1.1981 rr 0.0652 au 0.5136)
    /// train 85.56%  val 84.15% (mean class 75.15%)  relabeled 443 (precision 85.3%, recall 10.1%)  alpha AUC 0.870  188.4 img/s".
    /// Parts the epoch has no value for are left out.
    /// </summary>
    public static string EpochLine(EpochMetrics metrics, int? totalEpochs = null)
    {
        var text = new StringBuilder($"epoch {metrics.Epoch}");
        if (totalEpochs is { } total)
            text.Append('/').Append(total.ToString(CultureInfo.InvariantCulture));
        text.Append(" done");
        if (metrics.Seconds is { } seconds)
            text.Append(" in ").Append(Duration(TimeSpan.FromSeconds(seconds)));
        if (metrics.Losses.Count > 0)
        {
            var names = LossTerms.Ordered(metrics.Losses.Keys);
            var main = names.Contains(LossTerms.Total) ? LossTerms.Total : names[0];
            text.Append("  loss ").Append(main).Append(' ').Append(Number(metrics.Losses[main]));
            var rest = names.Where(n => n != main).Select(n => $"{n} {Number(metrics.Losses[n])}").ToArray();
            if (rest.Length > 0)
                text.Append(" (").AppendJoin(' ', rest).Append(')');
        }
        if (metrics.TrainAccuracy is { } train)
            text.Append("  train ").Append(Percent(train));
        if (metrics.ValAccuracy is { } val)
        {
            text.Append("  val ").Append(Percent(val));
            if (metrics.ValMeanClassAccuracy is { } mca)
                text.Append(" (mean class ").Append(Percent(mca)).Append(')');
        }
        if (metrics.Relabel is { } relabel)
        {
            text.Append("  relabeled ").Append(relabel.Changed.ToString(CultureInfo.InvariantCulture));
            if (relabel.Precision is { } precision && relabel.Recall is { } recall)
                text.Append(" (precision ").Append(Percent(precision, 1)).Append(", recall ").Append(Percent(recall, 1)).Append(')');
            else if (relabel.Recall is { } recallOnly)
                text.Append(" (recall ").Append(Percent(recallOnly, 1)).Append(')');
        }
        if (metrics.EstimatedNoise is { } noise)
            text.Append("  estimated noise ").Append(Percent(noise, 1));
        if (metrics.AlphaAuc is { } auc)
            text.Append("  alpha AUC ").Append(auc.ToString("0.000", CultureInfo.InvariantCulture));
        if (metrics.ImagesPerSecond is { } speed)
            text.Append(Invariant($"  {speed:0.0} img/s"));
        if (metrics.PeakRssMib is { } peak)
            text.Append(Invariant($"  peak RSS {peak:0} MiB"));
        return text.ToString();
    }

    /// <summary>m:ss below an hour, h:mm:ss above.</summary>
    public static string Duration(TimeSpan time)
    {
        if (time < TimeSpan.Zero)
            time = TimeSpan.Zero;
        var seconds = (long)Math.Round(time.TotalSeconds);
        return seconds >= 3600
            ? Invariant($"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}")
            : Invariant($"{seconds / 60}:{seconds % 60:00}");
    }

    private static string Number(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Percent(double share, int decimals = 2) =>
        (share * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
