using System.CommandLine;
using UlcAg.Cli;
using UlcAg.Training.Config;

namespace UlcAg.Train.Cli;

/// <summary>
/// What <c>dotnet ulcag-train</c> does: parse the arguments, then resolve and validate the
/// configuration and hand it to the trainer (<see cref="TrainLauncher"/>), or print it. Problems the
/// user can fix are printed as messages (never stack traces) and mapped to <see cref="TrainExitCodes"/>.
/// </summary>
/// <param name="presets">Where <c>--config NAME</c> finds presets.</param>
/// <param name="job">The trainer.</param>
/// <param name="output">Progress, results, help and printed configuration.</param>
/// <param name="error">Errors and warnings.</param>
/// <param name="baseDirectory">The folder relative paths are taken against (default: the current directory).</param>
/// <param name="clock">The time used to name new runs (default: the system clock).</param>
internal sealed class TrainCommand(PresetCatalog presets, ITrainingJob job, TextWriter output, TextWriter error, string? baseDirectory = null, TimeProvider? clock = null)
{
    /// <summary>Runs the command; returns the process exit code.</summary>
    public int Run(IReadOnlyList<string> args, CancellationToken ct)
    {
        var launcher = new TrainLauncher(presets, job, output, error, baseDirectory, clock);
        var line = new TrainCommandLine(presets);
        line.Root.SetAction(result => Train(line, launcher, result, ct));
        return line.Program.Run(line.Root, args, output, error);
    }

    private int Train(TrainCommandLine line, TrainLauncher launcher, ParseResult result, CancellationToken ct)
    {
        if (launcher.Resolve(line.Request(result)) is not { } config)
        {
            return TrainExitCodes.Usage;
        }

        if (result.GetValue(line.PrintConfig))
        {
            var header = $"ulcag-train {CliProgram.Version}: resolved configuration from {string.Join(", ", config.Sources.DefaultIfEmpty("built-in defaults"))}";
            OptionsYaml.Write(config.Options, output, header);
            return TrainExitCodes.Success;
        }

        return launcher.Train(config.Options, ct);
    }
}
