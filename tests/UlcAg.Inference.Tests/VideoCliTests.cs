using System.Globalization;
using System.Text.Json;
using UlcAg.Infer.Cli;

namespace UlcAg.Inference.Tests;

[TestClass]
public sealed class VideoCliTests
{
    private readonly TempDirectory _temp = new();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    private string Dir => _temp.Path;

    [TestMethod]
    public void Video_WritesTimelineCsvAndJsonThatAgree_AndAnAnnotatedVideo()
    {
        TrainedModel();
        var video = TestVideos.TwoPeople(Path.Combine(Dir, "clip.avi"));
        var annotated = Path.Combine(Dir, "out", "clip-annotated.mp4");

        var run = CliRun.Of(Dir, video, "--every", "4", "--annotate", annotated);

        Assert.AreEqual(0, run.ExitCode, run.Errors);
        StringAssert.Contains(run.Errors, $"{video}: {TestVideos.Frames} frames in ");
        StringAssert.Contains(run.Output, "640x360, 10 fps, 30 frames (MJPG); every 4th frame classified: 8 frames, 6 with faces");
        StringAssert.Contains(run.Output, Path.Combine(Dir, "clip.timeline.csv"));

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "clip.timeline.json")));
        var root = doc.RootElement;
        Assert.AreEqual("blazeface", root.GetProperty("detector").GetString());
        var info = root.GetProperty("video");
        Assert.AreEqual(30, info.GetProperty("frames").GetInt32());
        Assert.AreEqual(4, info.GetProperty("every").GetInt32());
        Assert.AreEqual(10.0, info.GetProperty("fps").GetDouble());
        Assert.AreEqual(annotated, info.GetProperty("annotated").GetString());
        var frames = root.GetProperty("frames").EnumerateArray().ToList();
        CollectionAssert.AreEqual(new[] { 0, 4, 8, 12, 16, 20, 24, 28 }, frames.Select(f => f.GetProperty("frame").GetInt32()).ToArray());
        foreach (var f in frames)
        {
            Assert.AreEqual(f.GetProperty("frame").GetInt32() / TestVideos.Fps, f.GetProperty("time").GetDouble(), 1e-9);
        }

        CollectionAssert.AreEqual(new[] { 1, 1, 1, 2, 2, 2, 0, 0 }, frames.Select(f => f.GetProperty("faces").GetArrayLength()).ToArray());
        var ids = frames.SelectMany(f => f.GetProperty("faces").EnumerateArray().Select(x => x.GetProperty("id").GetInt32())).Distinct().Order().ToArray();
        CollectionAssert.AreEqual(new[] { 1, 2 }, ids);

        // Every face of the image report is there, plus its id.
        var face = frames[3].GetProperty("faces")[0];
        foreach (var key in new[] { "id", "box", "crop", "detector_score", "expression", "class_index", "confidence", "alpha", "probabilities" })
        {
            Assert.IsTrue(face.TryGetProperty(key, out _), key);
        }

        var tracks = root.GetProperty("tracks").EnumerateArray().ToList();
        Assert.HasCount(2, tracks);
        Assert.AreEqual(6, tracks[0].GetProperty("frames").GetInt32());
        Assert.AreEqual(1.2, tracks[1].GetProperty("first_time").GetDouble(), 1e-9);
        var summary = root.GetProperty("summary");
        Assert.AreEqual(9, summary.GetProperty("faces").GetInt32());
        Assert.AreEqual(2, summary.GetProperty("tracks").GetInt32());

        // The CSV holds the same numbers: one row per face, one empty row per faceless frame.
        var csv = File.ReadAllLines(Path.Combine(Dir, "clip.timeline.csv"));
        var header = csv[0].Split(',');
        CollectionAssert.AreEqual(
            new[] { "time", "frame", "face_id", "x", "y", "width", "height", "crop", "detector_score", "expression", "class_index", "confidence", "alpha" }
                .Concat(ContractModels.Expressions.Select(e => "p_" + e)).ToArray(),
            header);
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.HasCount(9 + 2, rows);
        var jsonRows = frames.SelectMany(f => f.GetProperty("faces").GetArrayLength() == 0
            ? [(f, (JsonElement?)null)]
            : f.GetProperty("faces").EnumerateArray().Select(x => (f, (JsonElement?)x))).ToList();
        Assert.HasCount(rows.Count, jsonRows);
        for (var i = 0; i < rows.Count; i++)
        {
            var (f, x) = jsonRows[i];
            var row = rows[i];
            Assert.HasCount(header.Length, row);
            Assert.AreEqual(f.GetProperty("time").GetDouble(), Number(row[0]));
            Assert.AreEqual(f.GetProperty("frame").GetInt32(), int.Parse(row[1], CultureInfo.InvariantCulture));
            if (x is not { } j)
            {
                Assert.IsTrue(row.Skip(2).All(c => c.Length == 0), csv[i + 1]);
                continue;
            }

            Assert.AreEqual(j.GetProperty("id").GetInt32(), int.Parse(row[2], CultureInfo.InvariantCulture));
            var box = j.GetProperty("box");
            Assert.AreEqual(box.GetProperty("x").GetDouble(), Number(row[3]));
            Assert.AreEqual(box.GetProperty("height").GetDouble(), Number(row[6]));
            Assert.AreEqual(j.GetProperty("crop").GetString(), row[7]);
            Assert.AreEqual(j.GetProperty("expression").GetString(), row[9]);
            Assert.AreEqual(j.GetProperty("confidence").GetDouble(), Number(row[11]));
            Assert.AreEqual(j.GetProperty("alpha").GetDouble(), Number(row[12]));
            for (var k = 0; k < ContractModels.Expressions.Length; k++)
            {
                Assert.AreEqual(j.GetProperty("probabilities").GetProperty(ContractModels.Expressions[k]).GetDouble(), Number(row[13 + k]));
            }
        }

        Assert.AreEqual((TestVideos.Frames, TestVideos.Width, TestVideos.Height), TestVideos.Measure(annotated));
        Assert.IsEmpty(Directory.GetFiles(Dir, "*.tmp*", SearchOption.AllDirectories));
    }

    [TestMethod]
    public void Video_WithJson_PrintsTheTimelineDocument_AndTakesATimelinePath()
    {
        TrainedModel();
        var video = TestVideos.TwoPeople(Path.Combine(Dir, "clip.avi"));
        var timeline = Path.Combine(Dir, "reports", "talk.csv");

        var run = CliRun.Of(Dir, video, "--json", "--timeline", timeline);

        Assert.AreEqual(0, run.ExitCode, run.Errors);
        Assert.AreEqual(File.ReadAllText(Path.Combine(Dir, "reports", "talk.json")), run.Output);
        Assert.IsTrue(File.Exists(Path.Combine(Dir, "reports", "talk.csv")));
        using var doc = JsonDocument.Parse(run.Output);
        var frames = doc.RootElement.GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("frame").GetInt32()).ToArray();
        CollectionAssert.AreEqual(Enumerable.Range(0, 6).Select(i => i * 5).ToArray(), frames, "default: every 5th frame");
    }

    [TestMethod]
    public void DeployDocVideoExamples_RunOnAnMp4Clip()
    {
        // The command lines of docs/deploy.md that take clip.mp4, run as written (MPEG-4 Part 2 in .mp4, which the runtime writes).
        TrainedModel();
        TestVideos.TwoPeople(Path.Combine(Dir, "clip.mp4"), "mp4v");
        var doc = File.ReadAllLines(Path.Combine(DeployCheck.RepoRoot(), "docs", "deploy.md"));
        // The synopsis, with its [options], is not an example.
        var examples = doc.Where(l => l.StartsWith("    dotnet ulcag-infer clip.mp4", StringComparison.Ordinal) && !l.Contains('[', StringComparison.Ordinal))
            .Select(l => l.Split('#')[0].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[2..])
            .ToList();
        Assert.HasCount(2, examples);
        foreach (var args in examples)
        {
            var run = CliRun.Of(Dir, [.. args.Select(a => a.Contains('/', StringComparison.Ordinal) || a.Contains('.', StringComparison.Ordinal) ? Path.Combine(Dir, a) : a)]);
            Assert.AreEqual(0, run.ExitCode, $"{string.Join(' ', args)}: {run.Errors}");
        }

        Assert.AreEqual(6, JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "clip.timeline.json"))).RootElement.GetProperty("frames").GetArrayLength());
        using var every = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "reports", "clip.json")));
        Assert.AreEqual(TestVideos.Frames, every.RootElement.GetProperty("frames").GetArrayLength());
        // MPEG-4 Part 2, which OpenCV's FFmpeg reports by the tag FMP4.
        CollectionAssert.Contains(new[] { "mp4v", "FMP4" }, every.RootElement.GetProperty("video").GetProperty("codec").GetString());
        Assert.AreEqual((TestVideos.Frames, TestVideos.Width, TestVideos.Height), TestVideos.Measure(Path.Combine(Dir, "out.mp4")));
    }

    [TestMethod]
    public void MissingOrUndecodableVideo_IsNamedWithWhatCanBeRead_AndNothingIsWritten()
    {
        TrainedModel();
        var missing = CliRun.Of(Dir, Path.Combine(Dir, "gone.mp4"), "--annotate", Path.Combine(Dir, "a.mp4"));
        Assert.AreEqual(VideoCommand.VideoFailed, missing.ExitCode);
        StringAssert.Contains(missing.Errors, "gone.mp4: the file does not exist");

        var text = Path.Combine(Dir, "notes.mp4");
        File.WriteAllText(text, "not a video");
        var broken = CliRun.Of(Dir, text, "--annotate", Path.Combine(Dir, "a.mp4"));
        Assert.AreEqual(VideoCommand.VideoFailed, broken.ExitCode);
        StringAssert.Contains(broken.Errors, "notes.mp4: not a video this build can decode.");
        StringAssert.Contains(broken.Errors, "It decodes H.264, H.265/HEVC, MPEG-4 Part 2, MPEG-1/2, Motion JPEG, VP8 and VP9 video (not AV1) in MP4/MOV, AVI,");
        Assert.IsFalse(broken.Errors.Contains("   at ", StringComparison.Ordinal), broken.Errors);

        CollectionAssert.AreEquivalent(new[] { "artifacts", "notes.mp4" }, Directory.GetFileSystemEntries(Dir).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void UnwritableOutput_FailsBeforeTheRun_AndLeavesNoFile()
    {
        TrainedModel();
        var video = TestVideos.TwoPeople(Path.Combine(Dir, "clip.avi"));
        var blocker = Path.Combine(Dir, "blocker");
        File.WriteAllText(blocker, "a file where a folder would have to be");

        var annotate = CliRun.Of(Dir, video, "--annotate", Path.Combine(blocker, "out.avi"));
        Assert.AreEqual(VideoCommand.VideoFailed, annotate.ExitCode);
        StringAssert.Contains(annotate.Errors, $"Cannot write '{Path.Combine(blocker, "out.avi")}'");
        Assert.IsFalse(annotate.Errors.Contains(" frames in ", StringComparison.Ordinal), "no frame is processed");

        var timeline = CliRun.Of(Dir, video, "--timeline", Path.Combine(blocker, "t"));
        Assert.AreEqual(VideoCommand.VideoFailed, timeline.ExitCode);
        StringAssert.Contains(timeline.Errors, $"Cannot write '{Path.Combine(blocker, "t.csv")}'");

        CollectionAssert.AreEquivalent(new[] { "artifacts", "clip.avi", "blocker" }, Directory.GetFileSystemEntries(Dir).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void VideoWithOtherInputsOrImageOptions_IsAUsageError()
    {
        TrainedModel();
        var video = TestVideos.TwoPeople(Path.Combine(Dir, "clip.avi"));
        var photo = Photos.NoFace(Path.Combine(Dir, "p.png"));

        var cases = new (string[] Args, string Message)[]
        {
            ([video, photo], "a video is processed on its own"),
            ([video, "--no-detect"], "--no-detect does not apply to a video"),
            ([video, "--annotate", Path.Combine(Dir, "x.png")], "an annotated video needs one of .mp4"),
            ([video, "--every", "0"], "--every '0' is not a positive whole number"),
            ([photo, "--every", "2"], "--every applies to a video"),
        };
        foreach (var (args, message) in cases)
        {
            var run = CliRun.Of(Dir, args);
            Assert.AreEqual(2, run.ExitCode, string.Join(' ', args));
            StringAssert.Contains(run.Errors, message);
        }
    }

    [TestMethod]
    public void VideoWithoutFaces_ExitsWithOne_AndStillWritesItsTimeline()
    {
        TrainedModel();
        var video = Path.Combine(Dir, "empty.avi");
        using (var writer = new OpenCvSharp.VideoWriter(video, OpenCvSharp.FourCC.MJPG, 5, new OpenCvSharp.Size(160, 120)))
        {
            for (var i = 0; i < 6; i++)
            {
                using var frame = new OpenCvSharp.Mat(120, 160, OpenCvSharp.MatType.CV_8UC3, new OpenCvSharp.Scalar(40 * i, 120, 200));
                writer.Write(frame);
            }
        }

        var run = CliRun.Of(Dir, video, "--every", "2");

        Assert.AreEqual(VideoCommand.VideoFailed, run.ExitCode);
        StringAssert.Contains(run.Errors, "no face found in any of the 3 classified frames");
        Assert.HasCount(4, File.ReadAllLines(Path.Combine(Dir, "empty.timeline.csv")));
    }

    [TestMethod]
    public void PlainProgressLines_GiveFramesPercentRateAndTimeLeft()
    {
        Assert.AreEqual("v.mp4: frame 50/200 (25%), 10.0 frames/s, 00:00:15 left", VideoProgress.Line("v.mp4", 50, 200, TimeSpan.FromSeconds(5)));
        Assert.AreEqual("v.mp4: frame 50, 10.0 frames/s", VideoProgress.Line("v.mp4", 50, 0, TimeSpan.FromSeconds(5)));

        using var errors = new StringWriter();
        var console = new CliConsole(TextWriter.Null, errors, interactive: false, outputIsTerminal: false);
        VideoProgress.Run(console, "v.mp4", 4, report =>
        {
            for (var i = 1; i <= 4; i++)
            {
                report(i);
            }
        }, TimeSpan.Zero);
        var lines = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(5, lines);
        StringAssert.StartsWith(lines[1], "v.mp4: frame 2/4 (50%), ");
        StringAssert.StartsWith(lines[4], "v.mp4: 4 frames in ");
    }

    private void TrainedModel() => ContractModels.WriteConvNet(Path.Combine(Dir, "artifacts", "runs", "demo", "model.onnx"), size: 64);

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
