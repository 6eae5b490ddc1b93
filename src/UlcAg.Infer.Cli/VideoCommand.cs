using System.Runtime.InteropServices;
using OpenCvSharp;
using Spectre.Console;
using UlcAg.Cli;
using UlcAg.Data.Faces;
using UlcAg.Inference;
using UlcAg.Inference.Video;
using UlcAg.IO;

namespace UlcAg.Infer.Cli;

/// <summary>
/// <c>dotnet ulcag-infer clip.mp4</c>: classify every n-th frame of one video, track the faces,
/// write the timeline (CSV and JSON) and optionally an annotated video. Every output is written under
/// a temporary name and renamed at the end, so a failed run leaves none of them half-written.
/// </summary>
internal static class VideoCommand
{
    /// <summary>Exit code when the video cannot be read, an output cannot be written, or no classified frame had a face.</summary>
    public const int VideoFailed = 1;

    /// <summary>Exit code when Ctrl-C or SIGTERM stopped the run (128 + SIGINT, as shells report it).</summary>
    public const int Stopped = 130;

    /// <summary>
    /// The video to process when the command line names one, else null (images). A video is processed
    /// alone, with a detector, and annotated into a video file.
    /// </summary>
    /// <exception cref="UsageException">A video with other inputs, with <c>--no-detect</c>, or with an <c>--annotate</c> target that is not a video.</exception>
    public static string? Input(InferOptions options)
    {
        var videos = options.Inputs.Where(i => VideoFormats.IsVideo(i) && !Directory.Exists(i)).ToList();
        if (videos.Count == 0)
        {
            if (options.Timeline is not null || options.Every is not null)
            {
                throw new UsageException($"{(options.Timeline is not null ? "--timeline" : "--every")} applies to a video ({string.Join(", ", VideoFormats.InputExtensions)})");
            }

            return null;
        }

        if (options.Inputs.Count > 1)
        {
            throw new UsageException($"a video is processed on its own: give '{videos[0]}' without other videos, images or folders");
        }

        if (options.NoDetect)
        {
            throw new UsageException("--no-detect does not apply to a video: its faces are found and tracked in every classified frame");
        }

        if (options.Annotate is { } target && !VideoFormats.OutputCodecs.ContainsKey(Path.GetExtension(target)))
        {
            throw new UsageException($"--annotate '{target}': an annotated video needs one of {string.Join(", ", VideoFormats.OutputCodecs.Keys)} as its extension");
        }

        return videos[0];
    }

    /// <summary>Processes <paramref name="path"/> and returns the exit code.</summary>
    public static int Run(InferOptions options, CliConsole console, string workingDirectory, string path, ExpressionModel model, IFaceDetector detector, string detectorName)
    {
        var (csvPath, jsonPath) = TimelinePaths(options.Timeline, path, workingDirectory);
        try
        {
            using var source = VideoSource.Open(path);
            EnsureWritable(csvPath);
            EnsureWritable(jsonPath);
            using var annotated = options.Annotate is null ? null : new AnnotatedVideoWriter(options.Annotate, source.Fps, source.Width, source.Height);
            if (!options.Json)
            {
                TableReport.WriteHeader(console.Output, model, detectorName);
            }

            var recognizer = new VideoRecognizer(new ExpressionRecognizer(model, detector), options.Every ?? VideoRecognizer.DefaultEvery);
            var frames = new List<VideoFrameResult>();
            using (var stop = new StopRequest())
            {
                VideoProgress.Run(console, path, source.FrameCount, report =>
                {
                    foreach (var frame in recognizer.Run(source, annotated))
                    {
                        frames.Add(frame);
                        report(recognizer.FramesRead);
                        if (stop.Requested)
                        {
                            break;
                        }
                    }

                    report(recognizer.FramesRead);
                });
                if (stop.Requested)
                {
                    // The annotated video's temporary file goes with its writer; nothing else was written yet.
                    console.Errors.MarkupLine(Markup.Escape($"{path}: stopped after {recognizer.FramesRead} frames; no output written"));
                    return Stopped;
                }
            }

            if (source.FrameCount > 0 && recognizer.FramesRead != source.FrameCount)
            {
                console.Errors.MarkupLine("[yellow]warning:[/] " + Markup.Escape($"{path}: the file states {source.FrameCount} frames; {recognizer.FramesRead} were decoded"));
            }

            var run = new VideoRun(path, source.Width, source.Height, source.Fps, source.Codec, recognizer.FramesRead, recognizer.Every, annotated?.Target, frames);
            var json = VideoReport.Json(model, detectorName, run);
            AtomicFile.WriteLines(csvPath, VideoReport.Csv(model.Contract.Classes, run));
            AtomicFile.WriteAllText(jsonPath, json);
            annotated?.Commit();
            if (options.Json)
            {
                console.RawOutput.Write(json);
                console.RawOutput.Flush();
            }
            else
            {
                VideoReport.WriteTable(console.Output, run, csvPath, jsonPath);
            }

            if (run.FramesWithFaces == 0)
            {
                return Fail(console, $"{path}: no face found in any of the {frames.Count} classified frames");
            }

            return 0;
        }
        catch (VideoDecodeException e)
        {
            return Fail(console, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Outputs already renamed stay; the rest were never written.
            return Fail(console, e.Message);
        }
        catch (OpenCVException e)
        {
            return Fail(console, $"{path}: OpenCV failed: {e.Message.Trim()}");
        }
    }

    /// <summary>The CSV and JSON paths: <c>--timeline BASE</c> (a .csv or .json extension is dropped), or <c>STEM.timeline</c> in the working directory.</summary>
    public static (string Csv, string Json) TimelinePaths(string? timeline, string video, string workingDirectory)
    {
        var stem = timeline ?? Path.Combine(workingDirectory, Path.GetFileNameWithoutExtension(video) + ".timeline");
        if (Path.GetExtension(stem) is { } ext && (ext.Equals(".csv", StringComparison.OrdinalIgnoreCase) || ext.Equals(".json", StringComparison.OrdinalIgnoreCase)))
        {
            stem = stem[..^ext.Length];
        }

        return (stem + ".csv", stem + ".json");
    }

    // Fails before a long run, not after it: the folder is created and a file is made and removed in it.
    private static void EnsureWritable(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IOException($"Cannot write '{path}': it is a folder");
        }

        var probe = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write))
            {
            }

            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write '{path}': {(e is UnauthorizedAccessException ? "permission denied" : e.Message.Replace(probe, full, StringComparison.Ordinal))}", e);
        }
    }

    private static int Fail(CliConsole console, string message)
    {
        console.Errors.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        return VideoFailed;
    }

    /// <summary>Ctrl-C or SIGTERM asks the run to stop after the current frame, so that no temporary file is left behind.</summary>
    private sealed class StopRequest : IDisposable
    {
        private readonly PosixSignalRegistration _terminate;
        private volatile bool _requested;

        public StopRequest()
        {
            Console.CancelKeyPress += OnCancelKeyPress;
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                _requested = true;
            });
        }

        public bool Requested => _requested;

        public void Dispose()
        {
            Console.CancelKeyPress -= OnCancelKeyPress;
            _terminate.Dispose();
        }

        private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
        {
            // A second Ctrl-C ends the process at once.
            e.Cancel = !_requested;
            _requested = true;
        }
    }
}
