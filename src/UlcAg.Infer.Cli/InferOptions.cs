using System.Globalization;
using UlcAg.Data.Faces;
using UlcAg.Inference;
using UlcAg.Runtime;

namespace UlcAg.Infer.Cli;

/// <summary>The validated command line of <c>dotnet ulcag-infer</c>.</summary>
internal sealed record InferOptions
{
    public const string Usage = """
        Usage: dotnet ulcag-infer [options] IMAGE|FOLDER...

        Finds every face in each image, crops it as the model was trained, and prints its box,
        expression, class probabilities and alpha (the model's confidence in its training label).
        Folders are searched recursively for image files.

        Options:
          --model PATH       model.onnx, or a folder to take the newest model.onnx from
                             (default: the newest under artifacts/runs/)
          --json             print one JSON document instead of tables
          --annotate OUT     draw boxes and labels; OUT is a file for one image, a folder for several
          --no-detect        the images already are face crops: classify each whole image
          --detector SPEC    haar (default), haar:CASCADE.xml or yunet:MODEL.onnx (5-point alignment)
          --device DEVICE    cpu (default), cuda or cuda:N
          --batch N          faces per model run (default 32)
          --threads N        CPU threads for the model (default: one per core)
          --version          print the version
          -h, --help         show this help

        Exit codes: 0 every image had a face and was classified; 1 some image failed or had no face;
        2 the command line, the model, the device or the detector cannot be used.
        """;

    /// <summary>Images and folders to process.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    public string? Model { get; init; }
    public bool Json { get; init; }
    public string? Annotate { get; init; }
    public bool NoDetect { get; init; }
    public FaceDetectorSpec Detector { get; init; } = FaceDetectorSpec.Haar();
    public Device Device { get; init; } = Device.Cpu;
    public int Batch { get; init; } = ExpressionModel.DefaultMaxBatch;
    public int Threads { get; init; }
    public bool Help { get; init; }
    public bool Version { get; init; }

    /// <summary>Parses and validates the arguments.</summary>
    /// <exception cref="UsageException">An option is unknown, lacks its value, or has an invalid one; or no image was given.</exception>
    public static InferOptions Parse(IReadOnlyList<string> args)
    {
        var inputs = new List<string>();
        var options = new InferOptions { Inputs = inputs };
        var onlyInputs = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (onlyInputs || !arg.StartsWith('-'))
            {
                inputs.Add(arg);
                continue;
            }

            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{arg} needs a value.");
            options = arg switch
            {
                "--" => Mark(options, () => onlyInputs = true),
                "-h" or "--help" => options with { Help = true },
                "--version" => options with { Version = true },
                "--model" => options with { Model = Value() },
                "--json" => options with { Json = true },
                "--annotate" => options with { Annotate = Value() },
                "--no-detect" => options with { NoDetect = true },
                "--detector" => options with { Detector = DetectorChoice.Parse(Value()) },
                "--device" => options with { Device = ParseDevice(Value()) },
                "--batch" => options with { Batch = PositiveInt(arg, Value()) },
                "--threads" => options with { Threads = PositiveInt(arg, Value()) },
                _ => throw new UsageException($"Unknown option '{arg}'. Run with --help for the options."),
            };
        }

        if (inputs.Count == 0 && !options.Help && !options.Version)
        {
            throw new UsageException("No image given. Usage: dotnet ulcag-infer [options] IMAGE|FOLDER...");
        }

        return options;
    }

    private static InferOptions Mark(InferOptions options, Action set)
    {
        set();
        return options;
    }

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

    private static int PositiveInt(string option, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new UsageException($"{option} '{text}' is not a positive whole number.");
}
