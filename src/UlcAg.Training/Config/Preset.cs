namespace UlcAg.Training.Config;

/// <summary>A named configuration file shipped with the tool (a copy of <c>models/NAME.yaml</c>).</summary>
/// <param name="Name">The name given to <c>--config</c>.</param>
/// <param name="Path">The YAML file.</param>
/// <param name="Description">The file's first comment line.</param>
public sealed record Preset(string Name, string Path, string Description);
