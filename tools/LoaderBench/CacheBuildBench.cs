using System.Diagnostics;
using System.Globalization;
using OpenCvSharp;
using UlcAg.Data;
using UlcAg.Data.Cache;
using UlcAg.Data.Faces;

namespace UlcAg.Tools.LoaderBench;

/// <summary>
/// Photos/second of a face-cache build (decode, detect, align, write) over variants of real face
/// photographs: each of the 350 x 350 photographs in the source folder copied with a different
/// flip, shift, brightness and JPEG quality, so that no two files are the same. Every configuration
/// builds a fresh cache in every round; configurations alternate within a round, so their ratio
/// compares builds made minutes apart at most.
/// </summary>
internal static class CacheBuildBench
{
    public static int Run(BenchOptions options)
    {
        var inv = CultureInfo.InvariantCulture;
        var source = options.Source ?? FindRealFaces();
        var photos = Path.Combine(options.Directory, "photos");
        var split = Variants(source, photos, options.Photos);
        var configurations = new List<(string Name, Func<DatasetSplit, string, int> Build)>
        {
            ("blazeface", (s, dir) => Build(s, Settings(FaceDetectorSpec.BlazeFace(), options.Size), dir)),
            ("previous", (s, _) => BuildAsBefore(s, Settings(FaceDetectorSpec.BlazeFace(), options.Size))),
            ("haar", (s, dir) => Build(s, Settings(FaceDetectorSpec.Haar(), options.Size), dir)),
        };

        Console.WriteLine(string.Create(inv, $"{split.Samples.Count} photos of 350x350 from {source}; crops of {options.Size} px; {options.Runs} rounds; load {Load()}"));
        Stages(split, Settings(FaceDetectorSpec.BlazeFace(), options.Size));
        var rates = configurations.ToDictionary(c => c.Name, _ => new List<double>());
        for (var round = 0; round < options.Runs; round++)
        {
            foreach (var (name, build) in configurations)
            {
                var cacheDir = Path.Combine(options.Directory, "cache-build", name);
                if (Directory.Exists(cacheDir))
                {
                    Directory.Delete(cacheDir, recursive: true);
                }

                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var noFace = build(split, cacheDir);
                watch.Stop();
                cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                var rate = split.Samples.Count / watch.Elapsed.TotalSeconds;
                rates[name].Add(rate);
                Console.WriteLine(string.Create(inv,
                    $"round {round + 1} {name,-10} {rate,7:F1} photos/s ({watch.Elapsed.TotalSeconds:F1} s, {cpu.TotalMilliseconds / split.Samples.Count:F1} CPU ms per photo; no face found in {noFace}); load {Load()}"));
            }
        }

        var medians = rates.ToDictionary(kv => kv.Key, kv => Median(kv.Value));
        foreach (var (name, _) in configurations)
        {
            Console.WriteLine(string.Create(inv,
                $"{name,-10} median {medians[name],7:F1} photos/s   runs: {string.Join(", ", rates[name].Select(v => v.ToString("F1", inv)))}"));
        }

        var first = configurations[0].Name;
        foreach (var (name, _) in configurations.Skip(1))
        {
            Console.WriteLine(string.Create(inv, $"{first} / {name}: {medians[first] / medians[name]:F2}x (medians)"));
        }

        return 0;
    }

    // Where one thread's time goes per photo: decode, the largest-face search, the whole preparation.
    private static void Stages(DatasetSplit split, CacheSettings settings)
    {
        using var detector = settings.Detector!.Create(threads: 1);
        var pipeline = new FacePipeline(settings.Faces, detector);
        var n = Math.Min(200, split.Samples.Count);
        double decode = 0, detect = 0, prepare = 0;
        var cpu = TimeSpan.Zero;
        var runs = 0;
        for (var pass = 0; pass < 2; pass++)
        {
            decode = detect = prepare = 0;
            runs = 0;
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < n; i++)
            {
                var watch = Stopwatch.StartNew();
                using var bgr = ImageDecoder.Decode(split.Samples[i].Image);
                decode += watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                _ = detector.DetectLargest(bgr);
                runs += ((BlazeFaceDetector)detector).LastRuns;
                detect += watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                using var face = pipeline.Prepare(split.Samples[i]);
                prepare += watch.Elapsed.TotalMilliseconds;
            }

            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        }

        // One model run each: a 128 x 128 image through the short-range model, 192 x 192 through the full-range one.
        var folder = Path.GetDirectoryName(BlazeFaceDetector.DefaultModelPath)!;
        foreach (var (file, side) in new[] { (BlazeFaceDetector.ShortRangeModelFileName, 128), (BlazeFaceDetector.DefaultModelFileName, 192) })
        {
            using var model = new BlazeFaceDetector(Path.Combine(folder, file), threads: 1);
            using var photo = ImageDecoder.Decode(split.Samples[0].Image);
            using var small = photo.Resize(new Size(side, side), 0, 0, InterpolationFlags.Area);
            _ = model.Detect(small);
            var start = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 200; i++)
            {
                _ = model.Detect(small);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{file}: {watch.Elapsed.TotalMilliseconds / 200:F2} ms per run (wall), {(Process.GetCurrentProcess().TotalProcessorTime - start).TotalMilliseconds / 200:F2} ms CPU"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one thread, per photo: decode {decode / n:F2} ms, largest-face search {detect / n:F2} ms, decode + detect + align {prepare / n:F2} ms (wall); process CPU time for all three {cpu.TotalMilliseconds / n:F2} ms; {(double)runs / n:F2} model runs per photo"));
    }

    // A cache build as training runs it; returns the photos where no face was found.
    private static int Build(DatasetSplit split, CacheSettings settings, string cacheDir)
    {
        using var cache = ImageCache.OpenOrBuild(split, settings, cacheDir);
        return cache.Report.NoFaceFound;
    }

    // The build as it was before the largest-face search: two workers, each with a detector that runs
    // the whole pyramid with one ONNX Runtime thread per core, the largest face of all levels'
    // blended detections cropped; decode, detect and align as the cache does, without the file.
    private static int BuildAsBefore(DatasetSplit split, CacheSettings settings)
    {
        var noFace = 0;
        Parallel.For(
            0,
            split.Samples.Count,
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxDegreeOfParallelism },
            () => new WholePyramid(settings.Detector!.Create()),
            (i, _, detector) =>
            {
                using var face = new FacePipeline(settings.Faces, detector).Prepare(split.Samples[i]);
                if (face.Kind == FaceCropKind.NoFaceFound)
                {
                    Interlocked.Increment(ref noFace);
                }

                return detector;
            },
            detector => detector.Dispose());
        return noFace;
    }

    private static CacheSettings Settings(FaceDetectorSpec detector, int size) => new()
    {
        Faces = new FacePipelineOptions { Size = size },
        Detector = detector,
    };

    // The real photographs of the tests, from the repository root or the working directory's parents.
    private static string FindRealFaces()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "real-faces");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures/real-faces not found above the working directory; give --source DIR");
    }

    // Photo i is source photo i mod n, flipped on odd rounds, shifted by up to 12 px, brightened or
    // darkened by up to 20 levels, and saved at JPEG quality 85-95; written once, reused after.
    private static DatasetSplit Variants(string source, string directory, int count)
    {
        var originals = Directory.GetFiles(source, "*.jpg").Order(StringComparer.Ordinal)
            .Select(path => (Path: path, Image: Cv2.ImRead(path, ImreadModes.Color)))
            .Where(p => p.Image.Cols == 350 && p.Image.Rows == 350)
            .ToList();
        if (originals.Count == 0)
        {
            throw new InvalidOperationException($"no 350x350 JPEG photographs in '{source}'");
        }

        Directory.CreateDirectory(directory);
        var samples = new Sample[count];
        for (var i = 0; i < count; i++)
        {
            var path = Path.GetFullPath(Path.Combine(directory, $"photo_{i:D6}.jpg"));
            if (!File.Exists(path))
            {
                var rng = new Random(i);
                var original = originals[i % originals.Count].Image;
                using var variant = new Mat();
                if ((i / originals.Count) % 2 == 1)
                {
                    Cv2.Flip(original, variant, FlipMode.Y);
                }
                else
                {
                    original.CopyTo(variant);
                }

                using var shift = new Mat(2, 3, MatType.CV_64FC1);
                shift.Set(0, 0, 1.0);
                shift.Set(0, 2, (double)rng.Next(-12, 13));
                shift.Set(1, 1, 1.0);
                shift.Set(1, 2, (double)rng.Next(-12, 13));
                using var moved = new Mat();
                Cv2.WarpAffine(variant, moved, shift, variant.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);
                moved.ConvertTo(moved, -1, 1, rng.Next(-20, 21));
                Cv2.ImWrite(path, moved, new ImageEncodingParam(ImwriteFlags.JpegQuality, rng.Next(85, 96)));
            }

            samples[i] = new Sample($"photo_{i:D6}", new ImageSource.File(path), i % 7);
        }

        foreach (var (_, image) in originals)
        {
            image.Dispose();
        }

        return new DatasetSplit("cachebench", "train", ["c0", "c1", "c2", "c3", "c4", "c5", "c6"], [], samples);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Load() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    // Hides a detector's own largest-face search: DetectLargest falls back to Detect's first face.
    private sealed class WholePyramid(IFaceDetector inner) : IFaceDetector
    {
        public bool ProvidesLandmarks => inner.ProvidesLandmarks;

        public IReadOnlyList<DetectedFace> Detect(Mat bgr) => inner.Detect(bgr);

        public void Dispose() => inner.Dispose();
    }
}
