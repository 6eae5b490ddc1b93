namespace UlcAg.Data.Noise;

/// <summary>One line of a label list: an image name and its 0-based label.</summary>
/// <param name="Name">The image name as written, e.g. "train_00001.jpg".</param>
/// <param name="Label">The 0-based class index (the file holds it 1-based).</param>
/// <param name="Line">The 1-based line it was read from.</param>
public sealed record LabelListEntry(string Name, int Label, int Line);
