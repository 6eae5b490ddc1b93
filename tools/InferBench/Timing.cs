using System.Diagnostics;
using System.Globalization;

namespace InferBench;

/// <summary>Medians of timed runs and the machine's load, printed with every figure (the machine is shared).</summary>
internal static class Timing
{
    /// <summary>Median seconds of <paramref name="runs"/> calls after <paramref name="warmup"/> untimed ones.</summary>
    public static double Median(int runs, int warmup, Action step)
    {
        for (var i = 0; i < warmup; i++)
        {
            step();
        }

        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            step();
            times[i] = sw.Elapsed.TotalSeconds;
        }

        return MedianOf(times);
    }

    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The 1-minute load average from /proc/loadavg (what uptime prints first).</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
