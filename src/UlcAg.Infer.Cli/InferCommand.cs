using OpenCvSharp;
using Spectre.Console;
using UlcAg.Cli;
using UlcAg.Data.Faces;
using UlcAg.Inference;
using UlcAg.Runtime;

namespace UlcAg.Infer.Cli;

/// <summary>
/// <c>dotnet ulcag-infer</c>: resolve and load the model, create the detector, classify every image,
/// then report. Every failure becomes a message naming what failed; nothing prints a stack trace.
/// </summary>
internal static class InferCommand
{
    /// <summary>Exit code when the command line, model, device or detector cannot be used.</summary>
    public const int SetupFailed = 2;

    /// <summary>Runs the command and returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args, CliConsole console, string workingDirectory)
    {
        // OpenCV logs its own warning for every undecodable file; the per-file message below says it once, better.
        Cv2.SetLogLevel(OpenCvSharp.LogLevel.ERROR);
        var line = new InferCommandLine();
        line.Root.SetAction(result => Run(line.Options(result), console, workingDirectory));
        var parsed = line.Program.Parse(line.Root, args, out var problem);
        if (problem is not null)
        {
            Fail(console, problem);
            console.Errors.WriteLine(line.Program.Hint);
            return SetupFailed;
        }

        return CliProgram.Invoke(parsed, console.RawOutput);
    }

    private static int Run(InferOptions options, CliConsole console, string workingDirectory)
    {
        try
        {
            var video = VideoCommand.Input(options);
            var modelPath = ModelLocator.Resolve(options.Model, workingDirectory);
            using var model = ExpressionModel.Load(modelPath, options.Device, options.Threads, options.Batch);
            using var detector = options.NoDetect ? null : options.Detector.Create();
            if (video is not null)
            {
                return VideoCommand.Run(options, console, workingDirectory, video, model, detector!, options.Detector.Kind.ToString().ToLowerInvariant());
            }

            var images = ImageFiles.Expand(options.Inputs);
            var targets = options.Annotate is null ? null : new AnnotationTargets(options.Annotate, images.Count);
            return Classify(options, console, model, detector, images, targets);
        }
        catch (Exception e) when (e is UsageException or ModelNotFoundException or ModelException or DeviceException or FaceDetectorUnavailableException)
        {
            return Fail(console, e.Message);
        }
        catch (OpenCVException e)
        {
            return Fail(console, $"OpenCV failed: {e.Message.Trim()}");
        }
    }

    private static int Classify(InferOptions options, CliConsole console, ExpressionModel model, IFaceDetector? detector, IReadOnlyList<InputImage> images, AnnotationTargets? targets)
    {
        var detectorName = detector is null ? "none (whole images)" : options.Detector.Kind.ToString().ToLowerInvariant();
        var recognizer = new ExpressionRecognizer(model, detector);
        var results = new List<ImageResult>(images.Count);
        var annotated = new Dictionary<ImageResult, string>(ReferenceEqualityComparer.Instance);
        var problems = new List<string>();
        var annotationFailures = 0;
        if (!options.Json)
        {
            TableReport.WriteHeader(console.Output, model, detectorName);
        }

        // With a progress bar on the terminal, messages and tables wait until it is gone.
        var showProgress = console.Interactive && images.Count > 3;
        void Handle(ImageResult result)
        {
            results.Add(result);
            var problem = Problem(result, recognizer.Detects);
            if (targets is not null && result.Status != ImageStatus.Error)
            {
                var target = targets.For(result.Input);
                try
                {
                    Annotator.Write(result, model.Contract.Classes, target);
                    annotated[result] = target;
                }
                catch (Exception e) when (e is IOException or ImageDecodeException or OpenCVException)
                {
                    annotationFailures++;
                    problem = $"{result.Input.Path}: annotation not written: {e.Message}";
                }
            }

            if (problem is not null)
            {
                problems.Add(problem);
                if (!showProgress)
                {
                    console.Errors.MarkupLine($"[red]{Markup.Escape(problem)}[/]");
                }
            }

            if (!options.Json && !showProgress)
            {
                TableReport.Write(console.Output, result, model.Contract.Classes);
            }
        }

        if (showProgress)
        {
            console.Errors.Progress().AutoClear(true).Start(ctx =>
            {
                var task = ctx.AddTask("Classifying faces", maxValue: images.Count);
                foreach (var result in recognizer.Run(images))
                {
                    Handle(result);
                    task.Increment(1);
                }
            });
            foreach (var problem in problems)
            {
                console.Errors.MarkupLine($"[red]{Markup.Escape(problem)}[/]");
            }

            if (!options.Json)
            {
                foreach (var result in results)
                {
                    TableReport.Write(console.Output, result, model.Contract.Classes);
                }
            }
        }
        else
        {
            foreach (var result in recognizer.Run(images))
            {
                Handle(result);
            }
        }

        var summary = RunSummary.Of(results, annotationFailures);
        if (options.Json)
        {
            JsonReport.Write(console.RawOutput, model, detectorName, results, annotated, summary);
        }
        else
        {
            TableReport.WriteSummary(console.Output, summary);
        }

        return summary.ExitCode;
    }

    private static string? Problem(ImageResult result, bool detects) => result.Status switch
    {
        ImageStatus.Error => $"{result.Input.Path}: {result.Error}",
        ImageStatus.NoFace when detects => $"{result.Input.Path}: no face found. If the image already is a face crop, use --no-detect.",
        _ => null,
    };

    private static int Fail(CliConsole console, string message)
    {
        console.Errors.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        return SetupFailed;
    }
}
