using Spectre.Console;

namespace UlcAg.Infer.Cli;

/// <summary>
/// Where the command writes: results to standard output (raw for JSON, through Spectre for
/// tables), problems and progress to standard error. Interactive means a person watches the
/// error stream, so a progress bar is worth drawing.
/// </summary>
internal sealed class CliConsole
{
    /// <param name="output">Standard output.</param>
    /// <param name="errors">Standard error.</param>
    /// <param name="interactive">True when standard error is a terminal.</param>
    /// <param name="outputIsTerminal">True when standard output is a terminal.</param>
    /// <param name="outputWidth">Width of standard output in characters, when known better than Spectre detects it.</param>
    public CliConsole(TextWriter output, TextWriter errors, bool interactive, bool outputIsTerminal, int? outputWidth = null)
    {
        RawOutput = output;
        Output = Create(output, outputIsTerminal);
        if (outputWidth is { } width)
        {
            Output.Profile.Width = width;
        }

        Errors = Create(errors, interactive);
        Interactive = interactive;
    }

    /// <summary>Standard output for machine-readable text.</summary>
    public TextWriter RawOutput { get; }

    /// <summary>Standard output for tables.</summary>
    public IAnsiConsole Output { get; }

    /// <summary>Standard error for messages and progress.</summary>
    public IAnsiConsole Errors { get; }

    /// <summary>True when progress may be drawn on the error stream.</summary>
    public bool Interactive { get; }

    /// <summary>The process's own console streams.</summary>
    public static CliConsole ForProcess() =>
        new(Console.Out, Console.Error, interactive: !Console.IsErrorRedirected, outputIsTerminal: !Console.IsOutputRedirected);

    private static IAnsiConsole Create(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            // Spectre's own detection looks at standard output; this writer's stream is known to be a terminal or not.
            Ansi = terminal ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!terminal)
        {
            // A file or pipe has no width; wide enough that a 7-class table is not wrapped.
            console.Profile.Width = 200;
        }

        return console;
    }
}
