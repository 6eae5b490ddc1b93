using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using OpenCvSharp;
using UlcAg.Cli;
using UlcAg.Data.Synthetic;

namespace SynthFaces;

/// <summary>
/// SynthFaces: writes the synthetic FACS face dataset (RAF-DB layout) with a contact sheet,
/// draws contact sheets alone, or measures generation speed.
/// </summary>
internal static class Program
{
    private const string About = """
        Writes the synthetic FACS face dataset in RAF-DB layout with a contact sheet, draws contact
        sheets alone, or measures generation speed.
        """;

    private static readonly CliProgram Cli = new("SynthFaces", "dotnet run -c Release --project tools/SynthFaces -- COMMAND [options]")
    {
        Invocation = "dotnet run -c Release --project tools/SynthFaces --",
    };

    private static readonly Option<double?> SeedOption = Setting("--seed", "N", "Random seed of the dataset.");
    private static readonly Option<double?> SizeOption = Setting("--size", "PIXELS", "Image size.");
    private static readonly Option<double?> TrainOption = Setting("--train", "N", "Training images.");
    private static readonly Option<double?> TestOption = Setting("--test", "N", "Test images.");
    private static readonly Option<double?> DifficultyOption = Setting("--difficulty", "D", "How hard the faces are to tell apart.");
    private static readonly Option<double?> ErrorRateOption = Setting("--error-rate", "P", "Error rate of the pseudo AU labels.");
    private static readonly Option<double?> PerClassOption = Setting("--per-class", "N", "Sheet columns (default 8).");
    private static readonly Option<double?> CellOption = Setting("--cell", "PIXELS", "Sheet cell size (default 112).");
    private static readonly Option<double?> BitsOption = Setting("--bits", "N", "Sheet colour bits per channel, 1 to 8 (default 8; 5 makes a small PNG).",
        text => int.TryParse(text, CultureInfo.InvariantCulture, out var bits) && bits is >= 1 and <= 8 ? bits : throw new UsageException($"--bits takes 1 to 8, got '{text}'"));
    private static readonly Option<double?> CountOption = Setting("--count", "N", "Bench images (default 2000).");
    private static readonly Option<double?> RunsOption = Setting("--runs", "N", "Bench runs (default 5).");
    private static readonly Option<double?> ThreadsOption = Setting("--threads", "N", "Threads (default -1: all cores).");

    private static int Main(string[] args)
    {
        var folder = new Argument<string>("folder");
        var write = new Command("write", "Dataset in RAF-DB layout + <folder>/contact-sheet.png.") { folder };
        write.SetAction(r => Write(r.GetValue(folder)!, r));
        var file = new Argument<string>("file.png");
        var sheet = new Command("sheet", "Contact sheet only.") { file };
        sheet.SetAction(r => Sheet(r.GetValue(file)!, r));
        var bench = new Command("bench", "In-memory generation speed (median of runs).");
        bench.Aliases.Add("--bench");
        bench.SetAction(Bench);
        var root = new RootCommand(About) { write, sheet, bench };
        foreach (var option in new[] { SeedOption, SizeOption, TrainOption, TestOption, DifficultyOption, ErrorRateOption, PerClassOption, CellOption, BitsOption, CountOption, RunsOption, ThreadsOption })
        {
            root.Options.Add(option);
        }

        // Without a command: the usage, as a mistake.
        root.SetAction(_ =>
        {
            Console.Write(CliHelp.Text(Cli, root));
            return CliProgram.UsageExitCode;
        });
        try
        {
            return Cli.Run(root, args);
        }
        catch (SyntheticDataException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    // A number option every command accepts (each uses those it needs).
    private static Option<double?> Setting(string name, string valueName, string description, Func<string, double>? parse = null)
    {
        parse ??= CliOptions.Number(name);
        var option = CliOptions.Value<double?>(name, valueName, description, text => parse(text), null);
        option.Recursive = true;
        return option;
    }

    private static double Number(ParseResult result, Option<double?> option, double fallback) => result.GetValue(option) ?? fallback;

    private static SyntheticFaceOptions Options(ParseResult o)
    {
        var d = new SyntheticFaceOptions();
        return d with
        {
            Seed = (int)Number(o, SeedOption, SyntheticFaceOptions.DefaultSeed),
            ImageSize = (int)Number(o, SizeOption, d.ImageSize),
            Train = (int)Number(o, TrainOption, d.Train),
            Test = (int)Number(o, TestOption, d.Test),
            Difficulty = Number(o, DifficultyOption, d.Difficulty),
            AuErrorRate = Number(o, ErrorRateOption, d.AuErrorRate),
        };
    }

    private static int Write(string folder, ParseResult o)
    {
        var generator = new SyntheticFaceGenerator(Options(o));
        var watch = Stopwatch.StartNew();
        var infos = SyntheticDatasetWriter.Write(generator, folder, (int)Number(o, ThreadsOption, -1));
        Console.WriteLine($"wrote {infos.Count} images to {Path.GetFullPath(folder)} in {watch.Elapsed.TotalSeconds:0.0} s");
        return Sheet(Path.Combine(folder, "contact-sheet.png"), o);
    }

    private static int Sheet(string path, ParseResult o)
    {
        var options = Options(o);
        // The sheet only needs the first few faces of each class.
        var generator = new SyntheticFaceGenerator(options with { Train = Math.Max(options.Train, 200), Test = 7 });
        var bits = (int)Number(o, BitsOption, 8);
        using var sheet = ContactSheet.Build(generator, (int)Number(o, PerClassOption, 8), (int)Number(o, CellOption, 112));
        if (bits < 8)
        {
            // Fewer levels per channel (rounded, not truncated) shrink the PNG several-fold at little visible cost.
            var step = 1 << (8 - bits);
            var mask = (double)(0xFF & (0xFF << (8 - bits)));
            Cv2.Add(sheet, new Scalar(step / 2, step / 2, step / 2), sheet);
            Cv2.BitwiseAnd(sheet, new Scalar(mask, mask, mask), sheet);
        }
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        if (!Cv2.ImWrite(full, sheet, new ImageEncodingParam(ImwriteFlags.PngCompression, 9)))
            throw new SyntheticDataException($"Could not write the contact sheet '{full}'.");
        Console.WriteLine($"contact sheet: {full} ({new FileInfo(full).Length / 1024} KB)");
        return 0;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static int Bench(ParseResult o)
    {
        Console.WriteLine($"load average: {LoadAverage()}");
        var count = (int)Number(o, CountOption, 2000);
        var runs = (int)Number(o, RunsOption, 5);
        var threads = (int)Number(o, ThreadsOption, -1);
        var options = Options(o) with { Train = count, Test = 7 };
        var generator = new SyntheticFaceGenerator(options);
        // Warm-up: JIT, OpenCV's first-call initialisation.
        Parallel.For(0, Math.Min(count, 64), i => generator.Generate(SynthSplit.Train, i));
        var rates = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var split = generator.CreateSplit(SynthSplit.Train, maxDegreeOfParallelism: threads);
            watch.Stop();
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / split.Samples.Count;
            var rate = split.Samples.Count / watch.Elapsed.TotalSeconds;
            rates.Add(rate);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {r + 1}: {split.Samples.Count} images in {watch.Elapsed.TotalSeconds:0.000} s = {rate:0} images/s ({cpuMs:0.00} CPU ms per image)"));
        }
        rates.Sort();
        Console.WriteLine($"load average: {LoadAverage()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median: {rates[rates.Count / 2]:0} images/s ({options.ImageSize}x{options.ImageSize}, {count} images, {runs} runs, threads {(threads < 0 ? Environment.ProcessorCount : threads)})"));
        return 0;
    }
}
