using OpenCvSharp;

namespace UlcAg.Inference.Video;

/// <summary>
/// Writes an annotated video under a temporary name in the target's folder, and renames it to the
/// target only in <see cref="Commit"/>: an interrupted or failed run leaves no half-written video.
/// The codec follows the extension (<see cref="VideoFormats.OutputCodecs"/>).
/// </summary>
public sealed class AnnotatedVideoWriter : IDisposable
{
    private readonly VideoWriter _writer;
    private readonly string _temp;
    private bool _committed;

    /// <summary>Opens the writer; fails at once when the target cannot be written.</summary>
    /// <param name="path">The target file; its extension picks the codec.</param>
    /// <param name="fps">Frames per second, the source's.</param>
    /// <param name="width">Frame width.</param>
    /// <param name="height">Frame height.</param>
    /// <exception cref="IOException">Unknown extension, a folder that cannot be written, or a writer that does not open; the message names <paramref name="path"/>.</exception>
    public AnnotatedVideoWriter(string path, double fps, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(path);
        var extension = Path.GetExtension(path);
        if (!VideoFormats.OutputCodecs.TryGetValue(extension, out var codec))
        {
            throw new IOException($"Cannot write '{path}': an annotated video needs one of {string.Join(", ", VideoFormats.OutputCodecs.Keys)} as its extension.");
        }

        Target = path;
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        // The temporary name keeps the extension: FFmpeg picks the container by it.
        _temp = Path.Combine(folder, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{extension}");
        try
        {
            Directory.CreateDirectory(folder);
            // Creating the file first turns a folder that refuses writes into the system's own reason.
            using (new FileStream(_temp, FileMode.CreateNew, FileAccess.Write))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is UnauthorizedAccessException ? "permission denied" : e.Message.Replace(_temp, full, StringComparison.Ordinal);
            throw new IOException($"Cannot write '{path}': {reason}", e);
        }

        _writer = new VideoWriter(_temp, FourCC.FromString(codec), fps, new Size(width, height));
        if (!_writer.IsOpened())
        {
            _writer.Dispose();
            TryDelete(_temp);
            throw new IOException($"Cannot write '{path}': OpenCV could not open a {codec} writer for it");
        }
    }

    /// <summary>The target file.</summary>
    public string Target { get; }

    /// <summary>Frames written so far.</summary>
    public int FramesWritten { get; private set; }

    /// <summary>Appends one frame (8-bit BGR of the size given at creation).</summary>
    public void Write(Mat frame)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _writer.Write(frame);
        FramesWritten++;
    }

    /// <summary>Finishes the file and moves it to <see cref="Target"/>, replacing what was there.</summary>
    /// <exception cref="IOException">The rename failed; the message names the target.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _writer.Release();
        try
        {
            File.Move(_temp, Path.GetFullPath(Target), overwrite: true);
            _committed = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write '{Target}': {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}", e);
        }
    }

    /// <summary>Closes the writer; without <see cref="Commit"/>, removes the temporary file.</summary>
    public void Dispose()
    {
        _writer.Dispose();
        if (!_committed)
        {
            TryDelete(_temp);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done; the original failure is the one reported.
        }
    }
}
