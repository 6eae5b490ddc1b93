using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace UlcAg.Infer.Cli;

/// <summary>
/// Progress of a video run on standard error: on a terminal a bar with frames per second and time
/// left; otherwise plain lines, one per <see cref="PlainInterval"/> and one at the end.
/// </summary>
internal static class VideoProgress
{
    /// <summary>Time between plain progress lines.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="work"/>, which reports the frames read so far, with progress shown for <paramref name="name"/>.</summary>
    /// <param name="console">Where the progress goes.</param>
    /// <param name="name">The video, as the lines name it.</param>
    /// <param name="totalFrames">Frames the video says it has (0: unknown, no percentage or time left).</param>
    /// <param name="work">The run; calls its argument with the frames read so far.</param>
    /// <param name="interval">Time between plain lines (default <see cref="PlainInterval"/>).</param>
    public static void Run(CliConsole console, string name, int totalFrames, Action<Action<int>> work, TimeSpan? interval = null)
    {
        if (console.Interactive)
        {
            console.Errors.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RateColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(Path.GetFileName(name)), maxValue: Math.Max(1, totalFrames));
                    task.IsIndeterminate = totalFrames <= 0;
                    work(read => task.Value = totalFrames > 0 ? Math.Min(read, totalFrames) : read);
                    task.Value = task.MaxValue;
                });
            return;
        }

        var every = interval ?? PlainInterval;
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        var frames = 0;
        work(read =>
        {
            frames = read;
            if (clock.Elapsed - last >= every)
            {
                last = clock.Elapsed;
                console.Errors.WriteLine(Line(name, read, totalFrames, clock.Elapsed));
            }
        });
        var seconds = clock.Elapsed.TotalSeconds;
        console.Errors.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {frames} frames in {seconds:F1} s ({(seconds > 0 ? frames / seconds : 0):F1} frames/s)"));
    }

    /// <summary>One plain progress line: frames read, percentage, rate and time left where the total is known.</summary>
    public static string Line(string name, int read, int total, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? read / elapsed.TotalSeconds : 0;
        var inv = CultureInfo.InvariantCulture;
        if (total <= 0)
        {
            return string.Create(inv, $"{name}: frame {read}, {rate:F1} frames/s");
        }

        var left = rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, total - read) / rate) : (TimeSpan?)null;
        return string.Create(inv,
            $"{name}: frame {read}/{total} ({100.0 * Math.Min(read, total) / total:F0}%), {rate:F1} frames/s, {(left is { } l ? $"{l:hh\\:mm\\:ss} left" : "time left unknown")}");
    }

    /// <summary>Frames per second of the task, as Spectre measures it.</summary>
    private sealed class RateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } speed ? string.Create(CultureInfo.InvariantCulture, $"{speed:F1} frames/s") : "- frames/s", new Style(Color.Grey));
    }
}
