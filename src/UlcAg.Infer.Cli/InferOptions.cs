using System.CommandLine;
using UlcAg.Cli;
using UlcAg.Data.Faces;
using UlcAg.Inference;
using UlcAg.Inference.Video;
using UlcAg.Runtime;

namespace UlcAg.Infer.Cli;

/// <summary>The validated command line of <c>dotnet ulcag-infer</c>.</summary>
internal sealed record InferOptions
{
    /// <summary>Images and folders to process, or one video.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    public string? Model { get; init; }
    public bool Json { get; init; }
    public string? Annotate { get; init; }
    public bool NoDetect { get; init; }
    public FaceDetectorSpec Detector { get; init; } = FaceDetectorSpec.Default;
    public Device Device { get; init; } = Device.Cpu;
    public int Batch { get; init; } = ExpressionModel.DefaultMaxBatch;
    public int Threads { get; init; }

    /// <summary>Classify every this many frames of a video; null when not given.</summary>
    public int? Every { get; init; }

    /// <summary>Where a video's timeline goes (BASE.csv and BASE.json); null for the default.</summary>
    public string? Timeline { get; init; }
}

/// <summary>
/// The command line of <c>dotnet ulcag-infer</c>: images and folders, then options (in any order;
/// after <c>--</c> every argument is an image, even one that starts with '-').
/// </summary>
internal sealed class InferCommandLine
{
    private const string About = """
        Finds every face in each image, crops it as the model was trained, and prints its box,
        expression, class probabilities and alpha (the model's confidence in its training label).
        Folders are searched recursively for image files.

        A video (.mp4, .avi, .mkv, .mov, ...; one per run) is classified every N-th frame, its faces
        tracked so that one person keeps one id; the timeline goes to STEM.timeline.csv and .json
        (time, frame, face id, box, expression, probabilities, alpha per face), --annotate writes an
        annotated video (.mp4 in MPEG-4 Part 2, .avi or .mkv in Motion JPEG).
        """;

    private const string ExitCodes = """
        Exit codes: 0 every image had a face and was classified (a video: read to its end, a face in
        some classified frame); 1 some image failed or had no face (a video: cannot be read, an output
        cannot be written, or no face in any classified frame); 2 the command line, the model, the
        device or the detector cannot be used; 130 a video run stopped by Ctrl-C or SIGTERM.

        """;

    private readonly Argument<List<string>> _inputs = new("IMAGE|FOLDER|VIDEO") { Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string?> _model = CliOptions.Text("--model", "PATH",
        "model.onnx, or a folder to take the newest model.onnx from (default: the newest under artifacts/runs/).");
    private readonly Option<bool> _json = CliOptions.Flag("--json", "Print one JSON document instead of tables.");
    private readonly Option<string?> _annotate = CliOptions.Text("--annotate", "OUT",
        "Draw boxes and labels; OUT is a file for one image or a video, a folder for several images.");
    private readonly Option<int?> _every = CliOptions.Value<int?>("--every", "N",
        $"Video: classify every N-th frame, from the first (default {VideoRecognizer.DefaultEvery}; 1 = every frame).", t => CliOptions.Int("--every", minimum: 1)(t), null);
    private readonly Option<string?> _timeline = CliOptions.Text("--timeline", "BASE",
        "Video: write the timeline to BASE.csv and BASE.json (default: the video's name + .timeline, in the current folder).");
    private readonly Option<bool> _noDetect = CliOptions.Flag("--no-detect", "The images already are face crops: classify each whole image.");
    private readonly Option<FaceDetectorSpec> _detector = CliOptions.Value("--detector", "SPEC",
        $"{DetectorChoice.Choices}. BlazeFace and YuNet give points to align faces by.", DetectorChoice.Parse, FaceDetectorSpec.Default);
    private readonly Option<Device> _device = CliOptions.Value("--device", "DEVICE", "cpu (default), cuda or cuda:N.", ParseDevice, Device.Cpu);
    private readonly Option<int> _batch = CliOptions.Value("--batch", "N",
        $"Faces per model run (default {ExpressionModel.DefaultMaxBatch}).", CliOptions.Int("--batch", minimum: 1), ExpressionModel.DefaultMaxBatch);
    private readonly Option<int> _threads = CliOptions.Value("--threads", "N",
        $"CPU threads for the model, 1..{MaxThreads} (default: one per core).", CliOptions.Int("--threads", minimum: 1, maximum: MaxThreads), 0);

    /// <summary>
    /// The most <c>--threads</c> accepted: far beyond any useful count, yet low enough that ONNX
    /// Runtime can start the pool (100000 threads never finish starting).
    /// </summary>
    public const int MaxThreads = 256;

    /// <summary>Declares the arguments and options; the caller sets the action of <see cref="Root"/>.</summary>
    public InferCommandLine()
    {
        Root = new RootCommand(About) { _inputs, _model, _json, _annotate, _every, _timeline, _noDetect, _detector, _device, _batch, _threads };
        Root.Validators.Add(result =>
        {
            if (result.GetValue(_inputs) is not { Count: > 0 })
            {
                result.AddError("No image given. Usage: dotnet ulcag-infer [options] IMAGE|FOLDER...|VIDEO");
            }
        });
    }

    /// <summary>The command with every argument and option.</summary>
    public RootCommand Root { get; }

    /// <summary>How the command reports problems and prints help and version.</summary>
    public CliProgram Program { get; } = new("ulcag-infer", "dotnet ulcag-infer [options] IMAGE|FOLDER...|VIDEO") { Epilogue = () => ExitCodes };

    /// <summary>The options of a parsed command line.</summary>
    public InferOptions Options(ParseResult result) => new()
    {
        Inputs = result.GetValue(_inputs) ?? [],
        Model = result.GetValue(_model),
        Json = result.GetValue(_json),
        Annotate = result.GetValue(_annotate),
        NoDetect = result.GetValue(_noDetect),
        Detector = result.GetValue(_detector)!,
        Device = result.GetValue(_device)!,
        Batch = result.GetValue(_batch),
        Threads = result.GetValue(_threads),
        Every = result.GetValue(_every),
        Timeline = result.GetValue(_timeline),
    };

    private static Device ParseDevice(string text)
    {
        try
        {
            return Device.Parse(text);
        }
        catch (DeviceException e)
        {
            throw new UsageException($"--device: {e.Message}");
        }
    }
}
