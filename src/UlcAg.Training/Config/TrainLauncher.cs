namespace UlcAg.Training.Config;

/// <summary>
/// Starts a training as <c>ulcag-train</c> does once its command line is read: resolve and validate
/// the configuration a <see cref="TrainRequest"/> describes, name the run, then hand it to the
/// trainer. Problems the user can fix are written as messages (never stack traces) and mapped to
/// <see cref="TrainExitCodes"/>. The command and the experiment runner both train through it.
/// </summary>
public sealed class TrainLauncher
{
    private readonly PresetCatalog _presets;
    private readonly ITrainingJob _job;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly string? _baseDirectory;
    private readonly TimeProvider _clock;

    /// <summary>Creates the launcher.</summary>
    /// <param name="presets">Where preset names given as configurations are found.</param>
    /// <param name="job">The trainer.</param>
    /// <param name="output">The trainer's progress and results.</param>
    /// <param name="error">Errors and warnings.</param>
    /// <param name="baseDirectory">The folder relative paths are taken against (default: the current directory).</param>
    /// <param name="clock">The time used to name new runs (default: the system clock).</param>
    public TrainLauncher(PresetCatalog presets, ITrainingJob job, TextWriter output, TextWriter error, string? baseDirectory = null, TimeProvider? clock = null)
    {
        _presets = presets;
        _job = job;
        _output = output;
        _error = error;
        _baseDirectory = baseDirectory;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Resolves the configuration and trains; returns the process exit code.</summary>
    public int Run(TrainRequest request, CancellationToken ct) =>
        Resolve(request) is { } config ? Train(config.Options, ct) : TrainExitCodes.Usage;

    /// <summary>
    /// Resolves the configuration of <paramref name="request"/> and names the run; writes its warnings,
    /// or its errors and returns null (exit with <see cref="TrainExitCodes.Usage"/>).
    /// </summary>
    public LoadedConfig? Resolve(TrainRequest request)
    {
        LoadedConfig config;
        try
        {
            config = Load(request);
        }
        catch (ConfigException e)
        {
            _error.WriteLine(e.Errors.Count == 1 ? "error: invalid configuration:" : $"error: invalid configuration ({e.Errors.Count} problems):");
            foreach (var message in e.Errors)
            {
                _error.WriteLine($"  {message}");
            }

            return null;
        }

        foreach (var warning in config.Warnings)
        {
            _error.WriteLine($"warning: {warning}");
        }

        return config with { Options = config.Options.WithRunName(_clock.GetLocalNow()) };
    }

    /// <summary>Resolves the configuration that <paramref name="request"/> describes (no file and no --resume: the default preset).</summary>
    /// <exception cref="ConfigException">A file or preset is missing, or the configuration is invalid.</exception>
    public LoadedConfig Load(TrainRequest request)
    {
        var builder = new TrainConfigBuilder(_baseDirectory);
        if (request.Resume is not null)
        {
            builder.Resume(request.Resume);
        }
        else
        {
            var configs = request.Configs.Count > 0 ? request.Configs : [TrainRequest.DefaultPreset];
            foreach (var config in configs)
            {
                var (path, displayName) = _presets.Resolve(config, builder.BaseDirectory);
                builder.AddFile(path, displayName);
            }
        }

        foreach (var setting in request.Settings)
        {
            builder.Set(setting);
        }

        return builder.Build();
    }

    /// <summary>Trains with resolved <paramref name="options"/>; returns the process exit code.</summary>
    public int Train(TrainOptions options, CancellationToken ct)
    {
        try
        {
            return _job.Run(options, _output, _error, ct);
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
}
