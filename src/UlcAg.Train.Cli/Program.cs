using UlcAg.Train.Cli;
using UlcAg.Training.Config;

using var stop = new CtrlCStop(Console.Error);
var presets = new PresetCatalog([Path.Combine(AppContext.BaseDirectory, "presets")]);

// Temporary wiring until the trainer implements ITrainingJob: with no job, a valid configuration is
// printed and the command exits with TrainExitCodes.TrainingUnavailable.
ITrainingJob? job = null;

return new TrainCommand(presets, job, Console.Out, Console.Error).Run(args, stop.Token);
