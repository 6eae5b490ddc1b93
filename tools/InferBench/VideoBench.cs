using System.Diagnostics;
using System.Globalization;
using OpenCvSharp;
using UlcAg.Data.Faces;
using UlcAg.Data.Tests;
using UlcAg.Inference;
using UlcAg.Inference.Tests;
using UlcAg.Inference.Video;

namespace InferBench;

/// <summary>
/// The video path's throughput (frames per second decoded, detected, classified and tracked) on a
/// 1280 x 720 clip it writes, next to the single-image path on the clip's first frame as a JPEG, in
/// the same process and rounds: the same model, BlazeFace detector and threads.
/// </summary>
internal static class VideoBench
{
    private const int Width = 1280;
    private const int Height = 720;
    private const double Fps = 30;

    public static int Run(string dir, int res, int threads, int frames, int rounds)
    {
        var inv = CultureInfo.InvariantCulture;
        var clip = Path.Combine(dir, $"clip-{Width}x{Height}.avi");
        var photo = Path.Combine(dir, $"frame-{Width}x{Height}.jpg");
        WriteClip(clip, photo, frames);
        var modelPath = Path.Combine(dir, $"resnet18-{res}.onnx");
        ContractModels.WriteResNet18(modelPath, res);
        using var model = ExpressionModel.Load(modelPath, threads: threads);
        using var detector = FaceDetectorSpec.Default.Create();
        var recognizer = new ExpressionRecognizer(model, detector);
        if (recognizer.Recognize(photo).Faces.Count != 1)
        {
            Console.Error.WriteLine($"video: expected one face in {photo}");
            return 1;
        }

        Console.WriteLine(string.Create(inv, $"video: {clip}, {frames} frames of {Width}x{Height} MJPG at {Fps} fps, one real face moving; model {res} px, BlazeFace, {threads} threads, {rounds} rounds"));
        var image = new List<double>();
        var every1 = new List<double>();
        var every5 = new List<double>();
        var annotated = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var load = Timing.LoadAverage();
            // The single-image path: decode the JPEG, detect, align, classify at batch 1.
            var perImage = Timing.Median(9, 2, () => recognizer.Recognize(photo));
            image.Add(1 / perImage);
            every1.Add(VideoRate(recognizer, clip, 1, null));
            every5.Add(VideoRate(recognizer, clip, VideoRecognizer.DefaultEvery, null));
            annotated.Add(VideoRate(recognizer, clip, VideoRecognizer.DefaultEvery, Path.Combine(dir, "annotated.mp4")));
            Console.WriteLine(string.Create(inv,
                $"round {round + 1}: image path {image[^1],6:F2} images/s | video every frame {every1[^1],6:F2} frames/s | every {VideoRecognizer.DefaultEvery}th {every5[^1],6:F2} frames/s | " +
                $"every {VideoRecognizer.DefaultEvery}th + annotated .mp4 {annotated[^1],6:F2} frames/s | load {load:F2}"));
        }

        var img = Timing.MedianOf(image);
        Console.WriteLine(string.Create(inv,
            $"median: image path {img:F2} images/s; video every frame {Timing.MedianOf(every1):F2} frames/s ({Timing.MedianOf(every1) / img:F2}x), " +
            $"every {VideoRecognizer.DefaultEvery}th {Timing.MedianOf(every5):F2} frames/s ({Timing.MedianOf(every5) / img:F2}x), " +
            $"every {VideoRecognizer.DefaultEvery}th + annotated {Timing.MedianOf(annotated):F2} frames/s ({Timing.MedianOf(annotated) / img:F2}x)"));
        return 0;
    }

    // Frames per second through the whole video path: decode every frame, classify every n-th, track, optionally annotate and write.
    private static double VideoRate(ExpressionRecognizer recognizer, string clip, int every, string? annotate)
    {
        var video = new VideoRecognizer(recognizer, every);
        var sw = Stopwatch.StartNew();
        using (var source = VideoSource.Open(clip))
        using (var writer = annotate is null ? null : new AnnotatedVideoWriter(annotate, source.Fps, source.Width, source.Height))
        {
            var classified = video.Run(source, writer).Count();
            if (classified != (video.FramesRead + every - 1) / every)
            {
                throw new InvalidOperationException($"{clip}: {classified} frames classified of {video.FramesRead}");
            }

            writer?.Commit();
        }

        return video.FramesRead / sw.Elapsed.TotalSeconds;
    }

    // A real face photograph (260 px) moving 6 px per frame over a soft background; frame 0 also as a JPEG.
    private static void WriteClip(string clip, string photo, int frames)
    {
        using var background = RealFaces.MakeBackground(RealFaces.Background.Gradient, Width, Height, seed: 3);
        var face = Path.Combine(RealFaces.Folder, "Alvaro_Silva_Calderon_0001.jpg");
        using var writer = new VideoWriter(clip, FourCC.MJPG, Fps, new Size(Width, Height));
        for (var i = 0; i < frames; i++)
        {
            using var frame = RealFaces.Compose(background, [new RealFaces.Placement(face, 200 + (i * 6 % 700), 220, 260)]);
            writer.Write(frame);
            if (i == 0)
            {
                Cv2.ImWrite(photo, frame, new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
            }
        }
    }
}
