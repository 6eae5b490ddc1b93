using System.CommandLine;
using UlcAg.Cli;

namespace UlcAg.Tools.LoaderBench;

/// <summary>Command-line options of LoaderBench.</summary>
internal sealed record BenchOptions(int Images, int Size, int Batch, int Workers, int Runs, string Directory, bool CacheBuild, int Photos, string? Source)
{
    private static readonly Option<int> ImagesOption = Count("--images", "Synthetic JPEGs written once and cached (default 4096).", 4096);
    private static readonly Option<int> SizeOption = Count("--size", "Cached image size, pixels (default 112).", 112);
    private static readonly Option<int> BatchOption = Count("--batch", "Images per batch (default 64).", 64);
    private static readonly Option<int> WorkersOption = Count("--workers", "Loader workers (default 2).", 2, minimum: 0);
    private static readonly Option<int> RunsOption = Count("--runs", "Timed epochs per figure (default 5).", 5);
    private static readonly Option<string?> DirectoryOption = CliOptions.Text("--dir", "DIR",
        "Where the images and their cache are kept (default artifacts/loaderbench).", Path.Combine("artifacts", "loaderbench"));

    private static readonly Option<bool> CacheBuildOption = CliOptions.Flag("--cache-build",
        "Instead: photos/second of face-cache builds (decode, detect, align) of variants of real 350 x 350 photographs, BlazeFace (also as built before the largest-face search) against Haar; --runs rounds.");

    private static readonly Option<int> PhotosOption = Count("--photos", "--cache-build: photos per build (default 2000).", 2000);
    private static readonly Option<string?> SourceOption = CliOptions.Text("--source", "DIR",
        "--cache-build: folder of the real photographs (default tests/fixtures/real-faces).");

    /// <summary>The benchmark's command line.</summary>
    public static RootCommand Command() => new("""
        Images/second of the training loader with augmentation on, from a warm cache; with augmentation
        off and with one worker for comparison; and the resized crop alone, in C# spans against OpenCV.
        """)
    {
        ImagesOption, SizeOption, BatchOption, WorkersOption, RunsOption, DirectoryOption, CacheBuildOption, PhotosOption, SourceOption,
    };

    /// <summary>The options of a parsed command line.</summary>
    public static BenchOptions From(ParseResult result) => new(
        result.GetValue(ImagesOption), result.GetValue(SizeOption), result.GetValue(BatchOption),
        result.GetValue(WorkersOption), result.GetValue(RunsOption), result.GetValue(DirectoryOption)!,
        result.GetValue(CacheBuildOption), result.GetValue(PhotosOption), result.GetValue(SourceOption));

    private static Option<int> Count(string name, string description, int defaultValue, int minimum = 1) =>
        CliOptions.Value(name, "N", description, CliOptions.Int(name, minimum), defaultValue);
}
