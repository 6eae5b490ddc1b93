// LoaderBench: images/second of the training loader with augmentation on, from a warm cache.
//
//   dotnet run -c Release --project tools/LoaderBench -- [--images 4096] [--size 112] [--batch 64]
//       [--workers 2] [--runs 5] [--dir artifacts/loaderbench]
//
// Steps: (1) write synthetic random JPEGs (once), (2) build or reuse their image cache, (3) one
// untimed epoch to warm the page cache and JIT, (4) time whole epochs and report the median, with
// augmentation on (random resized crop, flip, erasing), plus the same with augmentation off and with
// one worker for comparison, (5) time the resized crop alone in C# spans against OpenCV's resize on
// Mat headers over the same buffers (CPU time per image), the choice the loader had to make.
using System.Diagnostics;
using System.Globalization;
using OpenCvSharp;
using UlcAg.Data;
using UlcAg.Data.Cache;
using UlcAg.Data.Faces;
using UlcAg.Data.Loading;

var options = BenchOptions.Parse(args);
Directory.CreateDirectory(options.Directory);
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
var augment = new AugmentOptions { Crop = CropMode.RandomResizedCrop, FlipProbability = 0.5, EraseProbability = 0.5 };
var train = new TrainLoaderOptions { BatchSize = options.Batch, Seed = 1, Workers = options.Workers, Prefetch = 4, Augment = augment };
var results = new List<(string Name, double Median, double[] Runs)>
{
    Measure("augmentation on", train),
    Measure("augmentation on, 1 worker", train with { Workers = 1 }),
    Measure("pad-crop + flip + erase", train with { Augment = augment with { Crop = CropMode.PadCrop } }),
    Measure("augmentation off", train with { Augment = AugmentOptions.None }),
};
foreach (var (name, median, runs) in results)
{
    Console.WriteLine($"{name,-28} median {median,8:F0} images/s   runs: {string.Join(", ", runs.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}");
}

// 5. The resized crop alone, single thread.
CropKernels.Compare(cache, options.Runs);
return;

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

/// <summary>Random JPEG files standing in for a face dataset.</summary>
internal static class SyntheticImages
{
    public static DatasetSplit Ensure(string directory, int count, int size)
    {
        Directory.CreateDirectory(directory);
        var samples = new Sample[count];
        var created = 0;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var path = Path.Combine(directory, $"face_{i:D6}.jpg");
            if (!File.Exists(path))
            {
                var rng = new Random(i);
                var side = size + rng.Next(size / 2);
                using var image = new Mat(side, side, MatType.CV_8UC3);
                Cv2.Randu(image, Scalar.All(0), Scalar.All(256));
                for (var k = 0; k < 8; k++)
                {
                    Cv2.Circle(image, new Point(rng.Next(side), rng.Next(side)), rng.Next(4, side / 3),
                        new Scalar(rng.Next(256), rng.Next(256), rng.Next(256)), -1);
                }

                Cv2.ImWrite(path, image, new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
                Interlocked.Increment(ref created);
            }

            samples[i] = new Sample($"face_{i:D6}", new ImageSource.File(Path.GetFullPath(path)), i % 7);
        });
        if (created > 0)
        {
            Console.WriteLine($"wrote {created} synthetic JPEGs to {directory}");
        }

        return new DatasetSplit("loaderbench", "train", ["c0", "c1", "c2", "c3", "c4", "c5", "c6"], [], samples);
    }
}

/// <summary>Random resized crop of one cached image: C# span bilinear against OpenCV resize on Mat headers.</summary>
internal static class CropKernels
{
    public static unsafe void Compare(ImageCache cache, int runs)
    {
        var (w, h) = (cache.Width, cache.Height);
        var destination = new byte[cache.ImageBytes];
        var crops = new (int X, int Y, int W, int H)[1024];
        var rng = new Random(5);
        for (var i = 0; i < crops.Length; i++)
        {
            var cw = rng.Next((int)(w * 0.85), w + 1);
            var ch = rng.Next((int)(h * 0.85), h + 1);
            crops[i] = (rng.Next(w - cw + 1), rng.Next(h - ch + 1), cw, ch);
        }

        void Spans(int i)
        {
            var c = crops[i];
            ImageOps.ResizeCrop(cache.GetImage(i % cache.Count), w, h, c.X, c.Y, c.W, c.H, flip: false, destination, w, h);
        }

        void OpenCv(int i)
        {
            var c = crops[i];
            fixed (byte* src = cache.GetImage(i % cache.Count))
            fixed (byte* dst = destination)
            {
                using var whole = Mat.FromPixelData(h, w, MatType.CV_8UC3, (IntPtr)src);
                using var roi = new Mat(whole, new Rect(c.X, c.Y, c.W, c.H));
                using var output = Mat.FromPixelData(h, w, MatType.CV_8UC3, (IntPtr)dst);
                Cv2.Resize(roi, output, new Size(w, h), 0, 0, InterpolationFlags.Linear);
            }
        }

        // CPU time rather than wall time: other processes on the machine then do not skew the comparison.
        double Once(Action<int> crop)
        {
            const int repeats = 4;
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var start = process.TotalProcessorTime;
            for (var k = 0; k < repeats; k++)
            {
                for (var i = 0; i < crops.Length; i++)
                {
                    crop(i);
                }
            }

            process.Refresh();
            return (process.TotalProcessorTime - start).TotalMicroseconds / (repeats * crops.Length);
        }

        Once(Spans);
        Once(OpenCv);
        // Interleaved, so both kernels see the same background load.
        var spanTimes = new double[runs];
        var openCvTimes = new double[runs];
        for (var r = 0; r < runs; r++)
        {
            spanTimes[r] = Once(Spans);
            openCvTimes[r] = Once(OpenCv);
        }

        var spans = spanTimes.Order().ElementAt(runs / 2);
        var openCv = openCvTimes.Order().ElementAt(runs / 2);
        Console.WriteLine($"resized crop {w}x{h}, one thread, CPU time: C# spans {spans:F1} us/image, OpenCV on Mat headers {openCv:F1} us/image (median of {runs})");
    }
}
