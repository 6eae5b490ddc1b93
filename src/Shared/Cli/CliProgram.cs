using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;

namespace UlcAg.Cli;

/// <summary>
/// How every UlcAg program runs its command line through System.CommandLine: a problem is one
/// <c>error: ...</c> line and a hint on standard error with exit code <see cref="UsageExitCode"/>;
/// <c>--help</c> prints <see cref="CliHelp"/>'s text; <c>--version</c> prints the name and version.
/// One source file set, compiled into each program (src/Shared/Cli/Cli.props).
/// </summary>
/// <param name="Name">The program's name as <c>--version</c> prints it, e.g. <c>ulcag-train</c>.</param>
/// <param name="Usage">The usage line without <c>Usage: </c>, e.g. <c>dotnet ulcag-train [options]</c>.</param>
internal sealed record CliProgram(string Name, string Usage)
{
    /// <summary>Exit code of a command line that cannot be run.</summary>
    public const int UsageExitCode = 2;

    /// <summary>How the hint runs the program (default: the usage line up to its first option).</summary>
    public string? Invocation { get; init; }

    /// <summary>Sections printed after the options in <c>--help</c> (examples, exit codes), or null.</summary>
    public Func<string>? Epilogue { get; init; }

    /// <summary>Words the message for an argument the command takes none of, or null for the default.</summary>
    public Func<string, string>? UnexpectedArgument { get; init; }

    /// <summary>The line after an error that says where the usage is.</summary>
    public string Hint => $"Run '{Invocation ?? Usage.Split(" [", 2)[0]} --help' for usage.";

    /// <summary>The version <c>--version</c> prints (the program's informational version without build metadata).</summary>
    public static string Version =>
        typeof(CliProgram).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Parses <paramref name="args"/> for <paramref name="root"/>, its help and version options set up.</summary>
    /// <param name="root">The command, with its options and action.</param>
    /// <param name="args">The arguments.</param>
    /// <param name="problem">The first problem (for <c>error: </c>), or null when the result can be invoked.</param>
    public ParseResult Parse(RootCommand root, IReadOnlyList<string> args, out string? problem)
    {
        foreach (var option in root.Options)
        {
            if (option is HelpOption help)
            {
                help.Description = "Show this help and exit.";
                help.Action = new WriteAction(() => CliHelp.Text(this, root));
            }
            else if (option is VersionOption version)
            {
                version.Description = "Print the version and exit.";
                version.Action = new WriteAction(() => $"{Name} {Version}{Environment.NewLine}");
            }
        }

        // Arguments are taken as written: no @response files (an image may be called @home.jpg).
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        problem = CliProblems.First(result, UnexpectedArgument);
        return result;
    }

    /// <summary>Runs the action that <paramref name="result"/> selects (help, version or the command's own).</summary>
    /// <param name="result">A parse result without problems.</param>
    /// <param name="output">Where help and version go.</param>
    /// <param name="error">Where System.CommandLine would write errors (default: standard error); the problems are reported before.</param>
    public static int Invoke(ParseResult result, TextWriter output, TextWriter? error = null) =>
        result.Invoke(new InvocationConfiguration { Output = output, Error = error ?? Console.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });

    /// <summary>
    /// Parses <paramref name="args"/> and runs what they ask for: reports a problem on <paramref name="error"/>
    /// (exit code <see cref="UsageExitCode"/>), or prints help or version, or runs the action of
    /// <paramref name="root"/>; then returns false with the exit code. Returns true when the command line
    /// is valid and <paramref name="root"/> has no action: the program goes on with <paramref name="result"/>.
    /// </summary>
    public bool TryParse(RootCommand root, IReadOnlyList<string> args, out ParseResult result, out int exitCode, TextWriter? output = null, TextWriter? error = null)
    {
        error ??= Console.Error;
        result = Parse(root, args, out var problem);
        if (problem is not null)
        {
            error.WriteLine($"error: {problem}");
            error.WriteLine(Hint);
            exitCode = UsageExitCode;
            return false;
        }

        exitCode = result.Action is null ? 0 : Invoke(result, output ?? Console.Out, error);
        return result.Action is null;
    }

    /// <summary>Parses <paramref name="args"/> and runs the action they select (see <see cref="TryParse"/>); returns the exit code.</summary>
    public int Run(RootCommand root, IReadOnlyList<string> args, TextWriter? output = null, TextWriter? error = null) =>
        TryParse(root, args, out _, out var exitCode, output, error) ? 0 : exitCode;

    /// <summary>Writes a text to standard output and succeeds, also when the command line lacks what the command needs (as help does).</summary>
    private sealed class WriteAction(Func<string> text) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.Write(text());
            return 0;
        }
    }
}
