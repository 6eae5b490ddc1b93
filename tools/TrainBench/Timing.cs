using System.Diagnostics;

namespace UlcAg.Tools.TrainBench;

/// <summary>Wall-clock timing of repeated runs.</summary>
internal static class Timing
{
    /// <summary>Seconds per run of <paramref name="runs"/> runs after <paramref name="warmup"/> untimed ones, sorted ascending.</summary>
    public static double[] Times(int runs, int warmup, Action step)
    {
        for (var i = 0; i < warmup; i++) step();
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            step();
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times;
    }

    public static double Median(int runs, int warmup, Action step) => Times(runs, warmup, step)[runs / 2];
}
