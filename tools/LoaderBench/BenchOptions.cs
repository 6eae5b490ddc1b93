using System.Globalization;

namespace UlcAg.Tools.LoaderBench;

/// <summary>Command-line options of LoaderBench.</summary>
internal sealed record BenchOptions(int Images, int Size, int Batch, int Workers, int Runs, string Directory)
{
    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions(4096, 112, 64, 2, 5, Path.Combine("artifacts", "loaderbench"));
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"option {args[i]} needs a value");
            o = args[i] switch
            {
                "--images" => o with { Images = int.Parse(value, CultureInfo.InvariantCulture) },
                "--size" => o with { Size = int.Parse(value, CultureInfo.InvariantCulture) },
                "--batch" => o with { Batch = int.Parse(value, CultureInfo.InvariantCulture) },
                "--workers" => o with { Workers = int.Parse(value, CultureInfo.InvariantCulture) },
                "--runs" => o with { Runs = int.Parse(value, CultureInfo.InvariantCulture) },
                "--dir" => o with { Directory = value },
                _ => throw new ArgumentException($"unknown option {args[i]}; expected --images, --size, --batch, --workers, --runs or --dir"),
            };
            i++;
        }

        return o;
    }
}
