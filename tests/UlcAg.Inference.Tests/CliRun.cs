using UlcAg.Infer.Cli;

namespace UlcAg.Inference.Tests;

/// <summary>Runs <c>dotnet ulcag-infer</c> in-process with captured, non-interactive streams.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Errors)
{
    public static CliRun Of(string workingDirectory, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = InferCommand.Run(args, new CliConsole(output, errors, interactive: false, outputIsTerminal: false), workingDirectory);
        return new CliRun(code, output.ToString(), errors.ToString());
    }
}
