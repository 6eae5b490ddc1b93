// LoaderBench: images/second of the training loader with augmentation on, from a warm cache.
//
//   dotnet run -c Release --project tools/LoaderBench -- [--images 4096] [--size 112] [--batch 64]
//       [--workers 2] [--runs 5] [--dir artifacts/loaderbench]
//   dotnet run -c Release --project tools/LoaderBench -- --cache-build [--photos 2000] [--runs 5]
//
// Steps: (1) write synthetic random JPEGs (once), (2) build or reuse their image cache, (3) one
// untimed epoch to warm the page cache and JIT, (4) time whole epochs and report the median, with
// augmentation on (random resized crop, flip, erasing), plus the same with augmentation off and with
// one worker for comparison, (5) time the resized crop alone in C# spans against OpenCV's resize on
// Mat headers over the same buffers (CPU time per image), the choice the loader had to make.
using System.Diagnostics;
using System.Globalization;
using OpenCvSharp;
using UlcAg.Cli;
using UlcAg.Data;
using UlcAg.Data.Cache;
using UlcAg.Data.Faces;
using UlcAg.Data.Loading;
using UlcAg.Tools.LoaderBench;

if (!new CliProgram("LoaderBench", "dotnet run -c Release --project tools/LoaderBench -- [options]").TryParse(BenchOptions.Command(), args, out var parsed, out var exitCode))
{
    return exitCode;
}

var options = BenchOptions.From(parsed);
Directory.CreateDirectory(options.Directory);
if (options.CacheBuild)
{
    return CacheBuildBench.Run(options);
}

var imageDir = Path.Combine(options.Directory, "images");

// 1. Synthetic images: noise plus random blobs, varied sizes around a typical face crop.
var split = SyntheticImages.Ensure(imageDir, options.Images, options.Size);

// 2. The cache.
var settings = new CacheSettings { Faces = new FacePipelineOptions { Size = options.Size, Mode = AlignMode.Resize } };
var buildWatch = Stopwatch.StartNew();
using var cache = ImageCache.OpenOrBuild(split, settings, Path.Combine(options.Directory, "cache"));
buildWatch.Stop();
Console.WriteLine(cache.Report.Reused
    ? $"cache reused: {cache.Count} images of {cache.Width}x{cache.Height}"
    : $"cache built: {cache.Count} images of {cache.Width}x{cache.Height} in {buildWatch.Elapsed.TotalSeconds:F1} s ({cache.Count / buildWatch.Elapsed.TotalSeconds:F0} images/s, decode + resize, {settings.MaxDegreeOfParallelism} threads)");

// 3-4. Loader throughput.
var augment = new AugmentOptions { Crop = CropMode.Resized, Flip = true, Erase = 0.5 };
var train = new TrainLoaderOptions { BatchSize = options.Batch, Seed = 1, Workers = options.Workers, Prefetch = 4, Augment = augment };
var results = new List<(string Name, double Median, double[] Runs)>
{
    Measure("augmentation on", train),
    Measure("augmentation on, 1 worker", train with { Workers = 1 }),
    Measure("pad-crop + flip + erase", train with { Augment = augment with { Crop = CropMode.Pad } }),
    Measure("augmentation off", train with { Augment = AugmentOptions.None }),
};
foreach (var (name, median, runs) in results)
{
    Console.WriteLine($"{name,-28} median {median,8:F0} images/s   runs: {string.Join(", ", runs.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}");
}

// 5. The resized crop alone, single thread.
CropKernels.Compare(cache, options.Runs);
return 0;

(string, double, double[]) Measure(string name, TrainLoaderOptions loaderOptions)
{
    var loader = new TrainLoader(cache, loaderOptions);
    var images = loader.BatchesPerEpoch * loaderOptions.BatchSize;
    RunEpoch(loader, 0);
    var runs = new double[options.Runs];
    for (var r = 0; r < runs.Length; r++)
    {
        var watch = Stopwatch.StartNew();
        var checksum = RunEpoch(loader, r + 1);
        watch.Stop();
        runs[r] = images / watch.Elapsed.TotalSeconds;
        GC.KeepAlive(checksum);
    }

    var sorted = runs.Order().ToArray();
    return (name, sorted[sorted.Length / 2], runs);
}

static long RunEpoch(TrainLoader loader, int epoch)
{
    // Touch every batch as a consumer would (one read per image), so nothing is optimized away.
    long sum = 0;
    foreach (var batch in loader.Epoch(epoch))
    {
        for (var i = 0; i < batch.Count; i++)
        {
            sum += batch.Images[i * batch.ImageBytes];
        }
    }

    return sum;
}
