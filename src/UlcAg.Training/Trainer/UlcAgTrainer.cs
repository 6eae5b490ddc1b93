using UlcAg.Data.Issues;
using UlcAg.Network.Weights;
using UlcAg.Runtime;
using UlcAg.Training.Config;
using UlcAg.Training.Progress;
using UlcAg.Training.Trainer.Callbacks;

namespace UlcAg.Training.Trainer;

/// <summary>The ULC-AG trainer behind <c>dotnet ulcag-train</c>.</summary>
/// <param name="progressMode">
/// How progress is shown: <see cref="ProgressMode.Auto"/> (a live bar on a terminal, plain lines to
/// the log otherwise), or <see cref="ProgressMode.Plain"/> when several runs share one console.
/// </param>
public sealed class UlcAgTrainer(ProgressMode progressMode = ProgressMode.Auto) : ITrainingJob
{
    /// <summary>Trains, writing progress and errors alike to <paramref name="log"/>.</summary>
    public int Run(TrainOptions options, TextWriter log, CancellationToken ct) => Run(options, log, log, ct);

    public int Run(TrainOptions options, TextWriter log, TextWriter errors, CancellationToken ct)
    {
        var progress = ProgressReporters.Create(progressMode, plainWriter: log);
        string? error = null;
        int code;
        try
        {
            using var run = RunSetup.Open(options, progress, ct);
            code = Fit(run, ct);
        }
        catch (TrainingDivergedException e)
        {
            (error, code) = (e.Message, TrainExitCodes.Diverged);
        }
        catch (RunFolderBusyException e)
        {
            (error, code) = (e.Message, TrainExitCodes.RunFolderBusy);
        }
        catch (Exception e) when (IsUserFacing(e))
        {
            (error, code) = (e.Message, TrainExitCodes.Failed);
        }
        catch (OperationCanceledException)
        {
            (error, code) = ("stopped before training began; nothing to resume.", TrainExitCodes.Interrupted);
        }
        finally
        {
            progress.Dispose();
        }
        // Written once the progress display is gone, so that a live bar does not overwrite it.
        if (error is not null) errors.WriteLine($"error: {error}");
        return code;
    }

    /// <summary>The standard callbacks, in the order their hooks run: logs first, then checkpoints, exports, the report, and what the user sees.</summary>
    private static int Fit(RunContext run, CancellationToken ct)
    {
        var metrics = new MetricsLogCallback();
        var relabels = new RelabelLogCallback();
        try
        {
            ITrainerCallback[] callbacks = [metrics, relabels, new CheckpointCallback(), new ExportCallback(), new ReportCallback(), new ProgressCallback()];
            return new Trainer(run, callbacks).Fit(ct);
        }
        finally
        {
            metrics.Dispose();
            relabels.Dispose();
        }
    }

    /// <summary>Failures whose message is written for the user (bad data, config, weights, device, disk).</summary>
    private static bool IsUserFacing(Exception e) => e is TrainingException or DataFormatException or WeightsException or DeviceException
        or ConfigException or IOException or UnauthorizedAccessException or Data.Synthetic.SyntheticDataException
        or Data.Faces.ImageDecodeException or Data.Faces.FaceDetectorUnavailableException;
}
