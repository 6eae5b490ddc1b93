using OpenCvSharp;
using UlcAg.Data.Faces;
using UlcAg.Inference.Video;

namespace UlcAg.Inference.Tests;

[TestClass]
public sealed class VideoRecognizerTests
{
    private readonly TempDirectory _temp = new();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    [TestMethod]
    public void Run_ClassifiesEveryNthFrame_TracksEachPerson_AndAnnotatesEveryFrame()
    {
        var video = TestVideos.TwoPeople(Path.Combine(_temp.Path, "clip.avi"));
        using var model = LoadModel();
        using var detector = FaceDetectorSpec.Default.Create();
        var recognizer = new VideoRecognizer(new ExpressionRecognizer(model, detector), every: 3);
        var annotatedPath = Path.Combine(_temp.Path, "out", "annotated.mp4");

        List<VideoFrameResult> frames;
        using (var source = VideoSource.Open(video))
        using (var annotated = new AnnotatedVideoWriter(annotatedPath, source.Fps, source.Width, source.Height))
        {
            Assert.AreEqual((TestVideos.Width, TestVideos.Height, TestVideos.Fps), (source.Width, source.Height, source.Fps));
            Assert.AreEqual("MJPG", source.Codec);
            frames = [.. recognizer.Run(source, annotated)];
            Assert.IsFalse(File.Exists(annotatedPath), "the annotated video appears only when committed");
            annotated.Commit();
            Assert.AreEqual(TestVideos.Frames, annotated.FramesWritten);
        }

        CollectionAssert.AreEqual(Enumerable.Range(0, 10).Select(i => i * 3).ToList(), frames.Select(f => f.FrameIndex).ToList());
        Assert.AreEqual(TestVideos.Frames, recognizer.FramesRead);
        foreach (var frame in frames)
        {
            Assert.AreEqual(frame.FrameIndex / TestVideos.Fps, frame.TimeSeconds, 1e-9);
            var expected = frame.FrameIndex >= TestVideos.FirstEmptyFrame ? 0 : frame.FrameIndex >= TestVideos.SecondFaceFrom ? 2 : 1;
            Assert.HasCount(expected, frame.Faces, $"frame {frame.FrameIndex}");
            if (expected == 0)
            {
                continue;
            }

            // The moving face: found where it was pasted, and always track 1.
            var moving = frame.Faces.Single(f => f.TrackId == 1).Face.Box!.Value;
            var centre = TestVideos.MovingCentre(frame.FrameIndex);
            Assert.AreEqual(centre.X, moving.X + (moving.Width / 2), 20, $"frame {frame.FrameIndex}");
            Assert.AreEqual(centre.Y, moving.Y + (moving.Height / 2), 25, $"frame {frame.FrameIndex}");
            if (expected == 2)
            {
                var still = frame.Faces.Single(f => f.TrackId == 2).Face.Box!.Value;
                Assert.AreEqual(TestVideos.StillCentre.X, still.X + (still.Width / 2), 20, $"frame {frame.FrameIndex}");
            }
        }

        Assert.AreEqual(2, recognizer.Tracker.TrackCount);

        // Each face's answer is the model's on that frame, as the image path gives it.
        var check = frames.Single(f => f.FrameIndex == 12);
        using var frame12 = TestVideos.Frame(12);
        var direct = new ExpressionRecognizer(model, detector).RecognizeFrame(frame12);
        Assert.HasCount(2, direct);
        Assert.AreEqual(direct[0].Prediction.Label, check.Faces[0].Face.Prediction.Label);

        Assert.AreEqual((TestVideos.Frames, TestVideos.Width, TestVideos.Height), TestVideos.Measure(annotatedPath));
        Assert.IsEmpty(Directory.GetFiles(Path.GetDirectoryName(annotatedPath)!, "*.tmp*"));
    }

    [TestMethod]
    public void H264_IsDecodedByTheRuntime_AndItsFacesFound()
    {
        // The runtime has no H.264 encoder; an I_PCM stream is H.264 all the same, and lossless.
        var path = Path.Combine(_temp.Path, "clip.h264");
        var frames = Enumerable.Range(0, 4).Select(i => Crop(TestVideos.Frame(2 * i))).ToList();
        H264PcmWriter.Write(path, frames);

        using var source = VideoSource.Open(path);
        Assert.AreEqual("h264", source.Codec.ToLowerInvariant());
        Assert.AreEqual((320, 176), (source.Width, source.Height));
        using var decoded = new Mat();
        using var expected = new Mat();
        var count = 0;
        while (source.Read(decoded))
        {
            // The same 4:2:0 round trip without the stream: only rounding may differ.
            using (var yuv = new Mat())
            {
                Cv2.CvtColor(frames[count], yuv, ColorConversionCodes.BGR2YUV_I420);
                Cv2.CvtColor(yuv, expected, ColorConversionCodes.YUV2BGR_I420);
            }

            using var diff = new Mat();
            Cv2.Absdiff(decoded, expected, diff);
            Assert.IsLessThan(4.0, Cv2.Mean(diff).Val0, $"frame {count}");
            count++;
        }

        Assert.AreEqual(4, count);
        frames.ForEach(f => f.Dispose());

        using var model = LoadModel();
        using var detector = FaceDetectorSpec.Default.Create();
        using var again = VideoSource.Open(path);
        var results = new VideoRecognizer(new ExpressionRecognizer(model, detector), every: 1).Run(again).ToList();
        Assert.HasCount(4, results);
        Assert.IsTrue(results.All(r => r.Faces.Count == 1 && r.Faces[0].TrackId == 1), string.Join("; ", results.Select(r => r.Faces.Count)));

        // The frame at half size, cut to 320 x 176 (the macroblock grid).
        static Mat Crop(Mat frame)
        {
            using (frame)
            {
                using var roi = new Mat(frame, new Rect(0, 4, 640, 352));
                var small = new Mat();
                Cv2.Resize(roi, small, new Size(320, 176), 0, 0, InterpolationFlags.Area);
                return small;
            }
        }
    }

    [TestMethod]
    public void Open_MissingOrUndecodableFile_SaysWhichAndWhatCanBeRead()
    {
        var missing = Assert.ThrowsExactly<VideoDecodeException>(() => VideoSource.Open(Path.Combine(_temp.Path, "none.mp4")));
        StringAssert.Contains(missing.Message, "none.mp4: the file does not exist");

        var text = Path.Combine(_temp.Path, "notes.mp4");
        File.WriteAllText(text, "this is not a video, only text with a video's name");
        var broken = Assert.ThrowsExactly<VideoDecodeException>(() => VideoSource.Open(text));
        StringAssert.Contains(broken.Message, "notes.mp4: not a video this build can decode");
        StringAssert.Contains(broken.Message, "It decodes H.264, H.265/HEVC, MPEG-4 Part 2");

        var empty = Path.Combine(_temp.Path, "empty.avi");
        File.WriteAllBytes(empty, []);
        StringAssert.Contains(Assert.ThrowsExactly<VideoDecodeException>(() => VideoSource.Open(empty)).Message, "empty");
    }

    [TestMethod]
    public void Writer_UnwritableTargetOrUnknownExtension_FailsAtOnceAndLeavesNothing()
    {
        var blocker = Path.Combine(_temp.Path, "file");
        File.WriteAllText(blocker, "a file where a folder would have to be");
        var e = Assert.ThrowsExactly<IOException>(() => new AnnotatedVideoWriter(Path.Combine(blocker, "out.mp4"), 25, 64, 48));
        StringAssert.Contains(e.Message, "Cannot write");
        StringAssert.Contains(e.Message, "out.mp4");

        var webm = Assert.ThrowsExactly<IOException>(() => new AnnotatedVideoWriter(Path.Combine(_temp.Path, "out.webm"), 25, 64, 48));
        StringAssert.Contains(webm.Message, ".mp4");

        // Disposed without a commit: no output and no temporary file.
        using (var writer = new AnnotatedVideoWriter(Path.Combine(_temp.Path, "half.avi"), 25, 64, 48))
        {
            using var frame = new Mat(48, 64, MatType.CV_8UC3, Scalar.All(90));
            writer.Write(frame);
        }

        Assert.AreEqual(1, Directory.GetFileSystemEntries(_temp.Path).Length, string.Join(", ", Directory.GetFileSystemEntries(_temp.Path)));
    }

    private ExpressionModel LoadModel()
    {
        var path = Path.Combine(_temp.Path, "model.onnx");
        ContractModels.WriteConvNet(path, size: 64);
        return ExpressionModel.Load(path);
    }
}
