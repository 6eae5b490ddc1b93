namespace UlcAg.Inference;

/// <summary>One image to process: its path, the name to show and to annotate under, and an error found before decoding.</summary>
/// <param name="Path">The file path as given or found.</param>
/// <param name="RelativeName">Path relative to the folder argument it came from, or the file name; used for annotated outputs.</param>
/// <param name="Error">Why the input cannot be processed (e.g. an empty folder), or null.</param>
public sealed record InputImage(string Path, string RelativeName, string? Error = null);
