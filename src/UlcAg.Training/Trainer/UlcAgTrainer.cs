using UlcAg.Data.Issues;
using UlcAg.Network.Weights;
using UlcAg.Runtime;
using UlcAg.Training.Config;

namespace UlcAg.Training.Trainer;

/// <summary>The ULC-AG trainer behind <c>dotnet ulcag-train</c>.</summary>
public sealed class UlcAgTrainer : ITrainingJob
{
    public int Run(TrainOptions options, TextWriter log, CancellationToken ct)
    {
        try
        {
            using var run = new TrainingRun(options, log);
            return run.Execute(ct);
        }
        catch (Exception e) when (IsUserFacing(e))
        {
            log.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            log.WriteLine("stopped before training began; nothing to resume.");
            return TrainingRun.ExitInterrupted;
        }
    }

    /// <summary>Failures whose message is written for the user (bad data, config, weights, device, disk).</summary>
    private static bool IsUserFacing(Exception e) => e is TrainingException or DataFormatException or WeightsException or DeviceException
        or ConfigException or IOException or UnauthorizedAccessException or Data.Synthetic.SyntheticDataException
        or Data.Faces.ImageDecodeException or Data.Faces.FaceDetectorUnavailableException;
}
