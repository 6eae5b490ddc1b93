using UlcAg.Infer.Cli;

return InferCommand.Run(args, CliConsole.ForProcess(), Environment.CurrentDirectory);
