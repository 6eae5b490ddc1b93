using System.Globalization;

namespace UlcAg.Runtime;

/// <summary>The resident memory of this process as Linux reports it in /proc/self/status.</summary>
public static class ProcessMemory
{
    /// <summary>Peak resident set size (VmHWM) in MiB; NaN where /proc/self/status does not exist or lacks it.</summary>
    public static double PeakResidentMiB() => StatusMiB("VmHWM");

    /// <summary>Current resident set size (VmRSS) in MiB; NaN where /proc/self/status does not exist or lacks it.</summary>
    public static double ResidentMiB() => StatusMiB("VmRSS");

    private static double StatusMiB(string key)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return double.NaN;
        var kib = StatusKiB(File.ReadLines(path), key);
        return kib is { } k ? k / 1024.0 : double.NaN;
    }

    /// <summary>
    /// The value in KiB of field <paramref name="key"/> among status lines such as
    /// "VmHWM:\t12345678 kB". The kernel pads the number with spaces after the tab only up to
    /// eight digits, so from 10 GB on a tab alone separates it: split on any whitespace. Null
    /// when the field is missing; <see cref="FormatException"/> when it is there but not a
    /// number of kB.
    /// </summary>
    public static long? StatusKiB(IEnumerable<string> lines, string key)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var prefix = key + ":";
        foreach (var line in lines)
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var parts = line[prefix.Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || parts[1] != "kB" || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
                throw new FormatException($"unexpected /proc status line '{line}': expected '{prefix} <number> kB'");
            return kib;
        }
        return null;
    }
}
