// Face detectors compared on photographs composed from the real faces of tests/fixtures/real-faces
// (pasted at known places and sizes onto generated backgrounds without faces): time per photo as
// the inference pipeline runs them (photo scaled to 1024 px, then detection), faces found, false
// positives per photo; and the end-to-end time per 1280 x 720 photo (decode, detect, align,
// classify with an exported-contract ResNet-18 at batch 1) with the detector's share. Detectors
// alternate within every round, so each ratio compares figures taken minutes apart at most.
//
//   dotnet run -c Release --project tools/FaceDetectBench -- --rounds 3
using System.CommandLine;
using System.Globalization;
using OpenCvSharp;
using UlcAg.Cli;
using UlcAg.Data.Faces;
using UlcAg.Inference;
using ContractModels = UlcAg.Inference.Tests.ContractModels;
using RealFaces = UlcAg.Data.Tests.RealFaces;
using Timing = InferBench.Timing;

var scenesOption = CliOptions.Value("--scenes", "N", "Composed 1920 x 1080 photos (default 12).", CliOptions.Int("--scenes", minimum: 1), 12);
var facesOption = CliOptions.Value("--faces", "N", "Faces pasted into each photo (default 6).", CliOptions.Int("--faces", minimum: 1, maximum: 12), 6);
var minSideOption = CliOptions.Value("--min-side", "PX", "Smallest pasted photograph side (default 80).", CliOptions.Int("--min-side", minimum: 16), 80);
var maxSideOption = CliOptions.Value("--max-side", "PX", "Largest pasted photograph side (default 320).", CliOptions.Int("--max-side", minimum: 16), 320);
var runsOption = CliOptions.Value("--runs", "N", "Timed runs per photo and detector; a figure is their median (default 5).", CliOptions.Int("--runs", minimum: 1), 5);
var roundsOption = CliOptions.Value("--rounds", "N", "Rounds over all detectors (default 3).", CliOptions.Int("--rounds", minimum: 1), 3);
var yunetOption = CliOptions.Text("--yunet", "PATH", "A YuNet .onnx model, to compare it too (none ships with UlcAg).");
var e2eRunsOption = CliOptions.Value("--e2e-runs", "N", "Runs per end-to-end figure (default 20; 0 skips it).", CliOptions.Int("--e2e-runs", minimum: 0), 20);
var thresholdOption = CliOptions.Value("--threshold", "P", "BlazeFace's score threshold (default its own).", CliOptions.Number("--threshold"), (double)BlazeFaceDetector.DefaultScoreThreshold);
var dirOption = CliOptions.Text("--dir", "DIR", "Where photos and the model are written (default artifacts/facedetectbench).", Path.Combine("artifacts", "facedetectbench"));
var verboseOption = CliOptions.Flag("--verbose", "Print every detection of every photo, and write annotated photos to DIR.");
var command = new RootCommand("""
    Face detectors on photos composed from real face photographs: time per photo, faces found, false
    positives; and end-to-end time per 1280 x 720 photo with the detector's share.
    """)
{
    scenesOption, facesOption, minSideOption, maxSideOption, runsOption, roundsOption, yunetOption, e2eRunsOption, thresholdOption, dirOption, verboseOption,
};
if (!new CliProgram("FaceDetectBench", "dotnet run -c Release --project tools/FaceDetectBench -- [options]").TryParse(command, args, out var parsed, out var exitCode))
{
    return exitCode;
}

var inv = CultureInfo.InvariantCulture;
var dir = parsed.GetValue(dirOption)!;
var (runs, rounds, verbose) = (parsed.GetValue(runsOption), parsed.GetValue(roundsOption), parsed.GetValue(verboseOption));
Directory.CreateDirectory(dir);

var specs = new List<(string Name, FaceDetectorSpec Spec)> { ("blazeface", FaceDetectorSpec.BlazeFace() with { ScoreThreshold = (float)parsed.GetValue(thresholdOption) }), ("haar", FaceDetectorSpec.Haar()) };
if (parsed.GetValue(yunetOption) is { } yunet)
{
    specs.Add(("yunet", FaceDetectorSpec.YuNet(yunet)));
}
else
{
    Console.WriteLine("yunet: not measured (no YuNet model ships with UlcAg; give one with --yunet PATH)");
}

var detectors = specs.Select(s => (s.Name, Detector: s.Spec.Create())).ToList();
var pipelines = detectors.Select(d => new FacePipeline(new FacePipelineOptions(), d.Detector)).ToList();

// The photos: faces at sides spread from --min-side to --max-side, each scene on another background.
var backgrounds = Enum.GetValues<RealFaces.Background>();
var scenes = new List<(Mat Image, IReadOnlyList<RealFaces.Placement> Faces)>();
for (var i = 0; i < parsed.GetValue(scenesOption); i++)
{
    scenes.Add(RealFaces.Scene(1920, 1080, parsed.GetValue(facesOption), parsed.GetValue(minSideOption), parsed.GetValue(maxSideOption), backgrounds[i % backgrounds.Length], seed: 100 + i));
}

Console.WriteLine(string.Create(inv, $"{scenes.Count} photos of 1920x1080, {scenes[0].Faces.Count} faces each ({parsed.GetValue(minSideOption)}-{parsed.GetValue(maxSideOption)} px photographs), backgrounds {string.Join(", ", backgrounds)}; {runs} runs per photo, {rounds} rounds"));

// Accuracy: one pass per detector (detection is deterministic).
for (var d = 0; d < detectors.Count; d++)
{
    int found = 0, missed = 0, extra = 0;
    var hitScores = new List<float>();
    var extraScores = new List<float>();
    for (var s = 0; s < scenes.Count; s++)
    {
        var faces = pipelines[d].Detect(scenes[s].Image);
        var (hits, falsePositives) = Match(faces, scenes[s].Faces);
        found += hits.Count(h => h);
        missed += hits.Count(h => !h);
        extra += falsePositives.Count;
        extraScores.AddRange(falsePositives.Select(f => f.Score));
        hitScores.AddRange(faces.Except(falsePositives).Select(f => f.Score));
        if (verbose)
        {
            foreach (var f in faces.Except(falsePositives).Where(f => f.Score < 0.7f))
            {
                Console.WriteLine(string.Create(inv, $"  {detectors[d].Name} photo {s}: weak face {f.Box.Width:F0} px score {f.Score:F2}"));
            }
        }
        if (verbose)
        {
            Console.WriteLine(string.Create(inv, $"  {detectors[d].Name} photo {s} ({backgrounds[s % backgrounds.Length]}): {faces.Count} detections, missed sides [{string.Join(", ", scenes[s].Faces.Where((_, i) => !hits[i]).Select(p => p.Side))}], false positives {string.Join("; ", falsePositives.Select(f => $"{f.Box.X:F0},{f.Box.Y:F0} {f.Box.Width:F0}x{f.Box.Height:F0} score {f.Score:F2}"))}"));
            using var annotated = scenes[s].Image.Clone();
            foreach (var p in scenes[s].Faces)
            {
                Cv2.Rectangle(annotated, p.Rect, Scalar.Green, 2);
            }

            foreach (var f in faces)
            {
                Cv2.Rectangle(annotated, new Rect((int)f.Box.X, (int)f.Box.Y, (int)f.Box.Width, (int)f.Box.Height), Scalar.Red, 2);
                Cv2.PutText(annotated, f.Score.ToString("F2", inv), new Point((int)f.Box.X, (int)f.Box.Y - 4), HersheyFonts.HersheySimplex, 0.6, Scalar.Red, 2);
                foreach (var k in f.Keypoints?.ToArray() ?? f.Landmarks?.ToArray() ?? [])
                {
                    Cv2.Circle(annotated, new Point((int)k.X, (int)k.Y), 3, Scalar.Yellow, -1);
                }
            }

            using var half = annotated.Resize(new Size(960, 540), 0, 0, InterpolationFlags.Area);
            Cv2.ImWrite(Path.Combine(dir, $"scene-{s:D2}-{detectors[d].Name}.png"), half);
        }
    }

    var total = found + missed;
    Console.WriteLine(string.Create(inv, $"{detectors[d].Name,-9}: found {found}/{total} faces ({100.0 * found / total:F1}%), false positives {extra} ({(double)extra / scenes.Count:F2} per photo)"));
    if (verbose)
    {
        Console.WriteLine(string.Create(inv, $"  scores of faces: {string.Join(" ", hitScores.Order().Take(12).Select(v => v.ToString("F2", inv)))} ...; of false positives: {string.Join(" ", extraScores.OrderDescending().Select(v => v.ToString("F2", inv)))}"));
    }
}

// Speed: per round, every detector over every photo; a photo's figure is the median of its runs.
var perDetector = detectors.Select(_ => new List<double>()).ToList();
for (var round = 0; round < rounds; round++)
{
    var load = Timing.LoadAverage();
    var line = string.Create(inv, $"round {round + 1} (load {load:F2}):");
    for (var d = 0; d < detectors.Count; d++)
    {
        var times = scenes.Select(s => Timing.Median(runs, 1, () => pipelines[d].Detect(s.Image)) * 1000).ToList();
        var median = Timing.MedianOf(times);
        perDetector[d].Add(median);
        line += string.Create(inv, $" {detectors[d].Name} {median:F1} ms/photo");
    }

    Console.WriteLine(line);
}

var haarIndex = detectors.FindIndex(d => d.Name == "haar");
for (var d = 0; d < detectors.Count; d++)
{
    var ratios = Enumerable.Range(0, rounds).Select(r => perDetector[d][r] / perDetector[haarIndex][r]).ToList();
    Console.WriteLine(string.Create(inv, $"{detectors[d].Name,-9}: median {Timing.MedianOf(perDetector[d]):F1} ms per 1920x1080 photo, {Timing.MedianOf(ratios):F2}x Haar (per round: {string.Join(" / ", ratios.Select(r => r.ToString("F2", inv)))})"));
}

var e2eRuns = parsed.GetValue(e2eRunsOption);
if (e2eRuns > 0)
{
    // One face (a 300 px photograph) on a 1280 x 720 cloudy background, as a JPEG.
    var photo = Path.Combine(dir, "photo-1280x720.jpg");
    using (var back = RealFaces.MakeBackground(RealFaces.Background.Clouds, 1280, 720, seed: 7))
    using (var frame = RealFaces.Compose(back, [new RealFaces.Placement(RealFaces.Files[0], 560, 180, 300)]))
    {
        Cv2.ImWrite(photo, frame, new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
    }

    var modelPath = Path.Combine(dir, "resnet18-112.onnx");
    ContractModels.WriteResNet18(modelPath, 112);
    using var model = ExpressionModel.Load(modelPath, threads: 2, maxBatch: 1);
    using var decoded = ImageDecoder.DecodeFile(photo);
    var e2e = detectors.Select(_ => new List<double>()).ToList();
    var share = detectors.Select(_ => new List<double>()).ToList();
    for (var round = 0; round < rounds; round++)
    {
        var load = Timing.LoadAverage();
        var line = string.Create(inv, $"end to end round {round + 1} (load {load:F2}):");
        for (var d = 0; d < detectors.Count; d++)
        {
            var recognizer = new ExpressionRecognizer(model, detectors[d].Detector);
            var pipeline = new FacePipeline(recognizer.CropOptions, detectors[d].Detector);
            var faces = recognizer.Recognize(photo).Faces;
            var total = Timing.Median(e2eRuns, 3, () => recognizer.Recognize(photo)) * 1000;
            var detect = Timing.Median(e2eRuns, 3, () => pipeline.Detect(decoded)) * 1000;
            e2e[d].Add(total);
            share[d].Add(detect);
            line += string.Create(inv, $" {detectors[d].Name} {total:F1} ms (detect {detect:F1} ms, {faces.Count} face{(faces.Count == 1 ? "" : "s")}, crop {string.Join(",", faces.Select(f => f.Crop.ToString().ToLowerInvariant()))})");
        }

        Console.WriteLine(line);
    }

    for (var d = 0; d < detectors.Count; d++)
    {
        var ratios = Enumerable.Range(0, rounds).Select(r => e2e[d][r] / e2e[haarIndex][r]).ToList();
        var total = Timing.MedianOf(e2e[d]);
        var detect = Timing.MedianOf(share[d]);
        Console.WriteLine(string.Create(inv, $"{detectors[d].Name,-9}: end to end {total:F1} ms per 1280x720 photo, detection {detect:F1} ms ({100 * detect / total:F0}%), {Timing.MedianOf(ratios):F2}x Haar's end to end"));
    }
}

foreach (var (_, detector) in detectors)
{
    detector.Dispose();
}

scenes.ForEach(s => s.Image.Dispose());
return 0;

// A pasted photograph is found when a detection's box centre lies in its square and the box side is
// 30-120% of the square's; every other detection is a false positive.
static (bool[] Hits, List<DetectedFace> FalsePositives) Match(IReadOnlyList<DetectedFace> faces, IReadOnlyList<RealFaces.Placement> placed)
{
    var hits = new bool[placed.Count];
    var extra = new List<DetectedFace>();
    foreach (var f in faces)
    {
        var (cx, cy) = (f.Box.X + (f.Box.Width / 2), f.Box.Y + (f.Box.Height / 2));
        var side = Math.Max(f.Box.Width, f.Box.Height);
        var i = Enumerable.Range(0, placed.Count).FirstOrDefault(i =>
            !hits[i] && placed[i].Rect.Contains((int)cx, (int)cy) && side >= 0.3 * placed[i].Side && side <= 1.2 * placed[i].Side, -1);
        if (i >= 0)
        {
            hits[i] = true;
        }
        else
        {
            extra.Add(f);
        }
    }

    return (hits, extra);
}
