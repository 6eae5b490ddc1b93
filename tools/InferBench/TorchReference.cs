using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace InferBench;

/// <summary>
/// Runs the shared PyTorch reference (torch_resnet18_bench.py: torchvision ResNet-18, 7 classes,
/// 2 threads) and reads its forward figures for one resolution.
/// </summary>
internal static partial class TorchReference
{
    public sealed record Figures(double BatchOneMs, double BatchImagesPerSecond);

    /// <summary>Runs the script for <paramref name="res"/>; null (with a note on stderr) when Python or torch is missing.</summary>
    public static Figures? Run(string python, string script, int res, int batch, int threads)
    {
        if (!File.Exists(script))
        {
            Console.Error.WriteLine($"PyTorch reference skipped: '{script}' does not exist.");
            return null;
        }

        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { script, "--res", res.ToString(CultureInfo.InvariantCulture), "--batch", batch.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var match = ForwardLine().Match(output);
        if (process.ExitCode != 0 || !match.Success)
        {
            Console.Error.WriteLine($"PyTorch reference failed (exit {process.ExitCode}): {output}{errors.Result}");
            return null;
        }

        return new Figures(
            double.Parse(match.Groups["b1"].Value, CultureInfo.InvariantCulture),
            double.Parse(match.Groups["bn"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"forward b\d+ (?<bn>[\d.]+) img/s \| forward b1 (?<b1>[\d.]+) ms")]
    private static partial Regex ForwardLine();
}
