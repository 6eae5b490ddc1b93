using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using System.Runtime.ExceptionServices;
using OpenCvSharp;
using UlcAg.Data.Faces;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Cache;

/// <summary>
/// Builds a cache's pixel file: every sample decoded, cropped and written as RGB at its own offset of
/// a memory-mapped temporary file by parallel workers, undecodable samples squeezed out afterwards,
/// then the file moved into place and the header written last.
/// </summary>
internal static class ImageCacheBuilder
{
    public static unsafe ImageCacheHeader Build(
        DatasetSplit split, CacheSettings settings, string directory, string baseName, string key,
        IProgress<int>? progress, CancellationToken cancellation)
    {
        var stopwatch = Stopwatch.StartNew();
        var size = settings.Faces.Size;
        var imageBytes = size * size * 3;
        var n = split.Samples.Count;
        var dataFile = $"{baseName}.{key[..16]}.u8";
        var dataPath = Path.Combine(directory, dataFile);
        var temp = ImageCacheHeader.TempPath(dataPath);
        var kinds = new FaceCropKind[n];
        var errors = new string?[n];
        var held = new List<int>(n);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                stream.SetLength((long)n * imageBytes);
            }

            if (n > 0)
            {
                using var map = MemoryMappedFile.CreateFromFile(temp, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
                using var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.ReadWrite);
                byte* basePtr = null;
                view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePtr);
                try
                {
                    basePtr += view.PointerOffset;
                    DecodeAll(split, settings, basePtr, imageBytes, kinds, errors, progress, cancellation);
                    for (var i = 0; i < n; i++)
                    {
                        if (errors[i] is not null)
                        {
                            continue;
                        }

                        if (held.Count != i)
                        {
                            // Slots only move towards the front, so a forward copy never reads overwritten data.
                            new ReadOnlySpan<byte>(basePtr + ((long)i * imageBytes), imageBytes)
                                .CopyTo(new Span<byte>(basePtr + ((long)held.Count * imageBytes), imageBytes));
                        }

                        held.Add(i);
                    }

                    view.Flush();
                }
                finally
                {
                    view.SafeMemoryMappedViewHandle.ReleasePointer();
                }
            }

            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                stream.SetLength((long)held.Count * imageBytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, dataPath, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        var skipped = new List<SkippedSample>();
        for (var i = 0; i < n; i++)
        {
            if (errors[i] is { } reason)
            {
                skipped.Add(new SkippedSample(i, split.Samples[i].Id, reason));
            }
        }

        int Count(FaceCropKind kind) => held.Count(i => kinds[i] == kind);
        return new ImageCacheHeader
        {
            Version = CacheKey.FormatVersion,
            Key = key,
            Dataset = split.Dataset,
            Split = split.Split,
            DataFile = dataFile,
            Height = size,
            Width = size,
            SampleCount = n,
            SampleIndices = [.. held],
            Settings = CacheKey.Describe(settings),
            CreatedUtc = DateTime.UtcNow,
            Report = new CacheBuildReport
            {
                Total = n,
                Held = held.Count,
                Skipped = skipped,
                FivePoint = Count(FaceCropKind.FivePoint),
                ThreePoint = Count(FaceCropKind.ThreePoint),
                Box = Count(FaceCropKind.Box),
                Resized = Count(FaceCropKind.Resize),
                NoFaceFound = Count(FaceCropKind.NoFaceFound),
                BuildTime = stopwatch.Elapsed,
            },
        };
    }

    private static unsafe void DecodeAll(
        DatasetSplit split, CacheSettings settings, byte* basePtr, int imageBytes, FaceCropKind[] kinds, string?[] errors,
        IProgress<int>? progress, CancellationToken cancellation)
    {
        var size = settings.Faces.Size;
        var done = 0;
        var workers = Math.Max(1, settings.MaxDegreeOfParallelism);
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellation };
        // The workers share the cores: a detector's own thread pool on top would only contend with them.
        var detectorThreads = Math.Max(1, Environment.ProcessorCount / workers);
        progress?.Report(0);
        try
        {
            Parallel.For(
                0,
                split.Samples.Count,
                options,
                // Each worker owns its detector: OpenCV's detectors are not thread-safe.
                () => settings.Detector?.Create(detectorThreads),
                (i, _, detector) =>
                {
                    var pipeline = new FacePipeline(settings.Faces, detector);
                    try
                    {
                        using var face = pipeline.Prepare(split.Samples[i]);
                        using var slot = Mat.FromPixelData(size, size, MatType.CV_8UC3, (IntPtr)(basePtr + ((long)i * imageBytes)));
                        Cv2.CvtColor(face.Crop, slot, ColorConversionCodes.BGR2RGB);
                        if (slot.Data != (IntPtr)(basePtr + ((long)i * imageBytes)))
                        {
                            throw new InvalidOperationException($"crop of sample '{split.Samples[i].Id}' is {face.Crop.Size()} {face.Crop.Type()}, expected {size}x{size} CV_8UC3");
                        }

                        kinds[i] = face.Kind;
                    }
                    catch (ImageDecodeException e) when (settings.OnDecodeError == IssuePolicy.Skip)
                    {
                        errors[i] = e.Message;
                    }

                    var count = Interlocked.Increment(ref done);
                    progress?.Report(count);
                    return detector;
                },
                detector => detector?.Dispose());
        }
        catch (AggregateException e)
        {
            // Surface the user-facing error (bad image, missing detector model) rather than the wrapper.
            var first = e.Flatten().InnerExceptions.FirstOrDefault(x => x is ImageDecodeException or FaceDetectorUnavailableException)
                ?? e.Flatten().InnerExceptions[0];
            ExceptionDispatchInfo.Capture(first).Throw();
        }
    }
}
