namespace UlcAg.Inference;

/// <summary>Turns command-line arguments (files and folders) into the list of images to process.</summary>
public static class ImageFiles
{
    /// <summary>File extensions taken from folders (files named explicitly are always tried).</summary>
    public static IReadOnlySet<string> Extensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".jpe", ".png", ".bmp", ".webp", ".tif", ".tiff", ".pgm", ".ppm", ".pnm",
    };

    /// <summary>
    /// Files as given; folders searched recursively for <see cref="Extensions"/>, in ordinal path
    /// order. A missing path or a folder without images becomes an entry with an error, so it is
    /// reported in order with the rest.
    /// </summary>
    public static IReadOnlyList<InputImage> Expand(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var images = new List<InputImage>();
        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
            {
                var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
                var found = Directory.EnumerateFiles(argument, "*", options)
                    .Where(f => Extensions.Contains(Path.GetExtension(f)))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    images.Add(new InputImage(argument, Path.GetFileName(Path.TrimEndingDirectorySeparator(argument)),
                        $"the folder holds no image files ({string.Join(", ", Extensions.Order(StringComparer.Ordinal))})"));
                }

                images.AddRange(found.Select(f => new InputImage(f, Path.GetRelativePath(argument, f))));
            }
            else
            {
                images.Add(new InputImage(argument, Path.GetFileName(argument), File.Exists(argument) ? null : "the file does not exist"));
            }
        }

        return images;
    }
}
