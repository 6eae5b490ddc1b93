using Spectre.Console;

namespace UlcAg.Training.Progress;

/// <summary>Chooses the progress reporter for where output goes.</summary>
public static class ProgressReporters
{
    /// <summary>
    /// The reporter for <paramref name="mode"/>. <see cref="ProgressMode.Auto"/> picks the live bar only when
    /// standard output is a terminal that Spectre.Console finds interactive and ANSI-capable, so output
    /// piped to a file or CI log gets plain lines.
    /// </summary>
    /// <param name="mode">The requested mode.</param>
    /// <param name="console">The terminal for the live bar; <see cref="AnsiConsole.Console"/> when null.</param>
    /// <param name="plainWriter">The writer for plain lines; <see cref="Console.Out"/> when null.</param>
    /// <param name="stepInterval">Least time between plain step lines.</param>
    public static IProgressReporter Create(
        ProgressMode mode = ProgressMode.Auto,
        IAnsiConsole? console = null,
        TextWriter? plainWriter = null,
        TimeSpan? stepInterval = null) =>
        Resolve(mode, console) switch
        {
            ProgressMode.Live => new LiveProgressReporter(console ?? AnsiConsole.Console),
            ProgressMode.Quiet => new QuietProgressReporter(),
            _ => new PlainProgressReporter(plainWriter ?? Console.Out, stepInterval),
        };

    /// <summary>What <see cref="ProgressMode.Auto"/> means here and now; other modes are returned unchanged.</summary>
    public static ProgressMode Resolve(ProgressMode mode, IAnsiConsole? console = null)
    {
        if (mode != ProgressMode.Auto)
            return mode;
        var capabilities = (console ?? AnsiConsole.Console).Profile.Capabilities;
        var terminal = console is not null || !Console.IsOutputRedirected;
        return terminal && capabilities.Interactive && capabilities.Ansi ? ProgressMode.Live : ProgressMode.Plain;
    }
}
