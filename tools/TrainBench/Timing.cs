using System.Diagnostics;

namespace UlcAg.Tools.TrainBench;

/// <summary>Wall-clock timing of repeated runs, and the process's peak resident memory.</summary>
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

    /// <summary>VmHWM of /proc/self/status in MiB (NaN where that file does not exist).</summary>
    public static double PeakRssMiB()
    {
        if (!File.Exists("/proc/self/status")) return double.NaN;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        }
        return double.NaN;
    }
}
