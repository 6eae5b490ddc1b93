using System.Reflection;

namespace UlcAg.Training.Config;

/// <summary>
/// What <c>dotnet ulcag-train</c> does: parse the arguments, resolve and validate the configuration,
/// then hand it to the trainer. Problems the user can fix are printed as messages (never stack traces)
/// and mapped to <see cref="TrainExitCodes"/>.
/// </summary>
public sealed class TrainCommand
{
    private readonly PresetCatalog _presets;
    private readonly ITrainingJob _job;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly string? _baseDirectory;
    private readonly TimeProvider _clock;

    /// <summary>Creates the command.</summary>
    /// <param name="presets">Where <c>--config NAME</c> finds presets.</param>
    /// <param name="job">The trainer, or null in a build without one (then the command stops after validation).</param>
    /// <param name="output">Progress, results and printed configuration.</param>
    /// <param name="error">Errors and warnings.</param>
    /// <param name="baseDirectory">The folder relative paths are taken against (default: the current directory).</param>
    /// <param name="clock">The time used to name new runs (default: the system clock).</param>
    public TrainCommand(PresetCatalog presets, ITrainingJob job, TextWriter output, TextWriter error, string? baseDirectory = null, TimeProvider? clock = null)
    {
        _presets = presets;
        _job = job;
        _output = output;
        _error = error;
        _baseDirectory = baseDirectory;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Runs the command; returns the process exit code.</summary>
    public int Run(IReadOnlyList<string> args, CancellationToken ct)
    {
        TrainArguments arguments;
        LoadedConfig config;
        try
        {
            arguments = TrainCommandLine.Parse(args);
            if (arguments.Help)
            {
                _output.Write(TrainHelp.Text(_presets.List()));
                return TrainExitCodes.Success;
            }

            if (arguments.Version)
            {
                _output.WriteLine($"ulcag-train {Version()}");
                return TrainExitCodes.Success;
            }

            config = Load(arguments);
        }
        catch (UsageException e)
        {
            _error.WriteLine($"error: {e.Message}");
            _error.WriteLine("Run 'dotnet ulcag-train --help' for usage.");
            return TrainExitCodes.Usage;
        }
        catch (ConfigException e)
        {
            _error.WriteLine(e.Errors.Count == 1 ? "error: invalid configuration:" : $"error: invalid configuration ({e.Errors.Count} problems):");
            foreach (var message in e.Errors)
            {
                _error.WriteLine($"  {message}");
            }

            return TrainExitCodes.Usage;
        }

        foreach (var warning in config.Warnings)
        {
            _error.WriteLine($"warning: {warning}");
        }

        var options = config.Options.WithRunName(_clock.GetLocalNow());
        var header = $"ulcag-train {Version()}: resolved configuration from {string.Join(", ", config.Sources.DefaultIfEmpty("built-in defaults"))}";
        if (arguments.PrintConfig)
        {
            OptionsYaml.Write(options, _output, header);
            return TrainExitCodes.Success;
        }

        return RunJob(_job, options, ct);
    }

    /// <summary>Resolves the configuration that <paramref name="arguments"/> describe (no --config: the default preset).</summary>
    /// <exception cref="ConfigException">A file or preset is missing, or the configuration is invalid.</exception>
    public LoadedConfig Load(TrainArguments arguments)
    {
        var builder = new TrainConfigBuilder(_baseDirectory);
        if (arguments.Resume is not null)
        {
            builder.Resume(arguments.Resume);
        }
        else
        {
            var configs = arguments.Configs.Count > 0 ? arguments.Configs : [TrainCommandLine.DefaultPreset];
            foreach (var config in configs)
            {
                var (path, displayName) = _presets.Resolve(config, builder.BaseDirectory);
                builder.AddFile(path, displayName);
            }
        }

        foreach (var setting in arguments.Settings)
        {
            builder.Set(setting);
        }

        return builder.Build();
    }

    private int RunJob(ITrainingJob job, TrainOptions options, CancellationToken ct)
    {
        try
        {
            return job.Run(options, _output, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _error.WriteLine("Stopped.");
            return TrainExitCodes.Interrupted;
        }
        catch (ConfigException e)
        {
            _error.WriteLine($"error: invalid configuration: {e.Message}");
            return TrainExitCodes.Usage;
        }
        catch (Exception e)
        {
            // The data, weights and runtime layers throw exceptions with user-facing messages; the
            // stack trace is noise to someone running the tool.
            _error.WriteLine($"error: {e.Message}");
            for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            {
                _error.WriteLine($"  because: {inner.Message}");
            }

            return TrainExitCodes.Failed;
        }
    }

    private static string Version() =>
        typeof(TrainCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
