using UlcAg.Infer.Cli;

namespace UlcAg.Inference.Tests;

/// <summary>Runs <c>dotnet ulcag-infer</c> in-process with captured, non-interactive streams.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Errors)
{
    public static CliRun Of(string workingDirectory, params string[] args) => Of(workingDirectory, null, args);

    /// <summary>Runs with standard output <paramref name="width"/> characters wide (null: a pipe, 200).</summary>
    public static CliRun Of(string workingDirectory, int? width, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = InferCommand.Run(args, new CliConsole(output, errors, interactive: false, outputIsTerminal: false, width), workingDirectory);
        return new CliRun(code, output.ToString(), errors.ToString());
    }
}
