using System.Diagnostics;
using System.Globalization;
using OpenCvSharp;
using UlcAg.Data.Synthetic;

namespace SynthFaces;

/// <summary>
/// SynthFaces: writes the synthetic FACS face dataset (RAF-DB layout) with a contact sheet,
/// draws contact sheets alone, or measures generation speed.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Usage:
          SynthFaces write <folder> [options]   dataset in RAF-DB layout + <folder>/contact-sheet.png
          SynthFaces sheet <file.png> [options]  contact sheet only
          SynthFaces --bench [options]           in-memory generation speed (median of runs)
        Options:
          --seed N  --size PIXELS  --train N  --test N  --difficulty D  --error-rate P
          --per-class N (sheet columns, 8)  --cell PIXELS (sheet cell size, 112)
          --bits N (sheet colour bits per channel, 8; 5 makes a small PNG)
          --count N (bench images, 2000)  --runs N (bench runs, 5)  --threads N (-1: all cores)
        """;

    private static int Main(string[] args)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }
            var command = args[0];
            var rest = ParseOptions(args.Skip(command is "--bench" or "bench" ? 1 : 2).ToArray());
            switch (command)
            {
                case "write" when args.Length >= 2:
                    Write(args[1], rest);
                    return 0;
                case "sheet" when args.Length >= 2:
                    Sheet(args[1], rest);
                    return 0;
                case "bench" or "--bench":
                    Bench(rest);
                    return 0;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (SyntheticDataException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new FormatException($"Expected an option '--name value' at '{args[i]}'.");
            options[args[i][2..]] = args[++i];
        }
        return options;
    }

    private static double Number(Dictionary<string, string> options, string name, double fallback)
    {
        if (!options.TryGetValue(name, out var text))
            return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"Option --{name} expects a number, got '{text}'.");
    }

    private static SyntheticFaceOptions Options(Dictionary<string, string> o)
    {
        var d = new SyntheticFaceOptions();
        return d with
        {
            Seed = (int)Number(o, "seed", SyntheticFaceOptions.DefaultSeed),
            ImageSize = (int)Number(o, "size", d.ImageSize),
            Train = (int)Number(o, "train", d.Train),
            Test = (int)Number(o, "test", d.Test),
            Difficulty = Number(o, "difficulty", d.Difficulty),
            AuErrorRate = Number(o, "error-rate", d.AuErrorRate),
        };
    }

    private static void Write(string folder, Dictionary<string, string> o)
    {
        var generator = new SyntheticFaceGenerator(Options(o));
        var watch = Stopwatch.StartNew();
        var infos = SyntheticDatasetWriter.Write(generator, folder, (int)Number(o, "threads", -1));
        Console.WriteLine($"wrote {infos.Count} images to {Path.GetFullPath(folder)} in {watch.Elapsed.TotalSeconds:0.0} s");
        Sheet(Path.Combine(folder, "contact-sheet.png"), o);
    }

    private static void Sheet(string path, Dictionary<string, string> o)
    {
        var options = Options(o);
        // The sheet only needs the first few faces of each class.
        var generator = new SyntheticFaceGenerator(options with { Train = Math.Max(options.Train, 200), Test = 7 });
        using var sheet = ContactSheet.Build(generator, (int)Number(o, "per-class", 8), (int)Number(o, "cell", 112));
        var bits = (int)Number(o, "bits", 8);
        if (bits is < 1 or > 8)
            throw new FormatException($"Option --bits expects 1 to 8, got {bits}.");
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
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static void Bench(Dictionary<string, string> o)
    {
        Console.WriteLine($"load average: {LoadAverage()}");
        var count = (int)Number(o, "count", 2000);
        var runs = (int)Number(o, "runs", 5);
        var threads = (int)Number(o, "threads", -1);
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
    }
}
