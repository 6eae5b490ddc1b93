namespace UlcAg.Training.Config;

/// <summary>The result of <see cref="TrainConfigBuilder.Build"/>: valid options, warnings worth showing, and the layers used.</summary>
/// <param name="Options">The resolved, validated options; paths are absolute.</param>
/// <param name="Warnings">Settings that are valid but probably not meant (a milestone after the last epoch, ...).</param>
/// <param name="Sources">The layers in the order applied: file paths and command-line settings.</param>
public sealed record LoadedConfig(TrainOptions Options, IReadOnlyList<ConfigMessage> Warnings, IReadOnlyList<string> Sources);
