using UlcAg.Train.Cli;
using UlcAg.Training.Config;
using UlcAg.Training.Trainer;

using var stop = new StopSignals(Console.Error);
var presets = new PresetCatalog([Path.Combine(AppContext.BaseDirectory, "presets")]);
return new TrainCommand(presets, new UlcAgTrainer(), Console.Out, Console.Error).Run(args, stop.Token);
