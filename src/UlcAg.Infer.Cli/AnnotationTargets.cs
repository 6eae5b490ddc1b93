using UlcAg.Cli;
using UlcAg.Inference;

namespace UlcAg.Infer.Cli;

/// <summary>
/// Where <c>--annotate OUT</c> writes each image: OUT itself for a single image (unless OUT is an
/// existing folder), else OUT/relative name, keeping sub-folders and making clashing names unique.
/// </summary>
internal sealed class AnnotationTargets
{
    private readonly string _out;
    private readonly bool _single;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public AnnotationTargets(string output, int imageCount)
    {
        _out = output;
        _single = imageCount == 1 && !Directory.Exists(output);
        if (_single && !Annotator.WritableExtensions.Contains(Path.GetExtension(output)))
        {
            throw new UsageException(
                $"--annotate '{output}': for one image OUT is the output file and needs an image extension " +
                $"({string.Join(", ", Annotator.WritableExtensions)}); for several images it is a folder.");
        }

        if (!_single && File.Exists(output))
        {
            throw new UsageException($"--annotate '{output}' is a file, but several images are annotated into a folder; give a folder path.");
        }
    }

    /// <summary>The output path for <paramref name="image"/>.</summary>
    public string For(InputImage image)
    {
        if (_single)
        {
            return _out;
        }

        var relative = image.RelativeName;
        if (!Annotator.WritableExtensions.Contains(Path.GetExtension(relative)))
        {
            relative = Path.ChangeExtension(relative, ".png");
        }

        var path = Path.Combine(_out, relative);
        var stem = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path));
        for (var n = 2; !_used.Add(path); n++)
        {
            path = $"{stem}-{n}{Path.GetExtension(relative)}";
        }

        return path;
    }
}
