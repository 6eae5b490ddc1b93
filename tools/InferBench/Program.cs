// Inference speed of an exported-contract ResNet-18 through UlcAg.Inference (ONNX Runtime, CPU):
// batch-1 latency, batch-32 throughput, and end-to-end time per photo (decode, Haar detection,
// crop, model), each the median of several runs; next to PyTorch running the same ResNet-18
// forward (../shared/reference/torch_resnet18_bench.py), back to back, with the load average of
// the shared machine printed beside every figure.
//
//   dotnet run -c Release --project tools/InferBench -- --res 112 224 --rounds 3
//   dotnet run -c Release --project tools/InferBench -- --video --res 112 --rounds 5   (the video path)
using System.CommandLine;
using System.Globalization;
using InferBench;
using OpenCvSharp;
using UlcAg.Cli;
using UlcAg.Data.Faces;
using UlcAg.Data.Tests;
using UlcAg.Inference;
using UlcAg.Inference.Tests;

var resOption = CliOptions.List("--res", "N...", "Input resolutions of the exported ResNet-18 (default 112 224).", CliOptions.Int("--res", minimum: 1), severalPerOccurrence: true);
var batchOption = CliOptions.Value("--batch", "N", "Images per batched run (default 32).", CliOptions.Int("--batch", minimum: 1), 32);
var runsOption = CliOptions.Value("--runs", "N", "Runs per figure; each figure is their median (default 30).", CliOptions.Int("--runs", minimum: 1), 30);
var roundsOption = CliOptions.Value("--rounds", "N", "Rounds of UlcAg and PyTorch back to back (default 3).", CliOptions.Int("--rounds", minimum: 1), 3);
var threadsOption = CliOptions.Value("--threads", "N", "Threads of both (default 2).", CliOptions.Int("--threads", minimum: 1), 2);
var pythonOption = CliOptions.Text("--python", "PATH", "The Python that runs the PyTorch reference (default /usr/bin/python3).", "/usr/bin/python3");
var scriptOption = CliOptions.Text("--script", "PATH", "The PyTorch reference script (default /work/shared/reference/torch_resnet18_bench.py).",
    "/work/shared/reference/torch_resnet18_bench.py");
var dirOption = CliOptions.Text("--dir", "DIR", "Where the models and the photo are written (default artifacts/inferbench).", Path.Combine("artifacts", "inferbench"));
var noTorchOption = CliOptions.Flag("--no-torch", "Measure UlcAg only.");
var videoOption = CliOptions.Flag("--video", "Measure the video path (frames/s on a 1280x720 clip) against the single-image path instead.");
var videoFramesOption = CliOptions.Value("--video-frames", "N", "Frames of the --video clip (default 90).", CliOptions.Int("--video-frames", minimum: 1), 90);
var command = new RootCommand("""
    Inference speed of an exported-contract ResNet-18 through UlcAg.Inference (ONNX Runtime, CPU):
    batch-1 latency, batched throughput, and end-to-end time per photo (decode, Haar detection, crop,
    model), each the median of several runs, next to PyTorch running the same forward.
    """)
{
    resOption, batchOption, runsOption, roundsOption, threadsOption, pythonOption, scriptOption, dirOption, noTorchOption, videoOption, videoFramesOption,
};
if (!new CliProgram("InferBench", "dotnet run -c Release --project tools/InferBench -- [options]").TryParse(command, args, out var parsed, out var exitCode))
{
    return exitCode;
}

var resolutions = parsed.GetValue(resOption) is { Count: > 0 } given ? given : [112, 224];
var (batch, runs, rounds, threads) = (parsed.GetValue(batchOption), parsed.GetValue(runsOption), parsed.GetValue(roundsOption), parsed.GetValue(threadsOption));
var python = parsed.GetValue(pythonOption)!;
var script = parsed.GetValue(scriptOption)!;
var dir = parsed.GetValue(dirOption)!;
var torch = !parsed.GetValue(noTorchOption);

Directory.CreateDirectory(dir);
if (parsed.GetValue(videoOption))
{
    return VideoBench.Run(dir, resolutions[0], threads, parsed.GetValue(videoFramesOption), rounds);
}

Console.WriteLine($"ONNX Runtime {Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()}, threads {threads}, batch {batch}, {runs} runs per figure, {rounds} rounds");
var inv = CultureInfo.InvariantCulture;

// A 1280 x 720 photo with one drawn face, as a webcam frame would be.
var photo = Path.Combine(dir, "photo-1280x720.jpg");
using (var frame = new Mat(720, 1280, MatType.CV_8UC3, new Scalar(170, 185, 200)))
{
    FaceTestImages.DrawFace(frame, 700, 330, 1.6);
    Cv2.ImWrite(photo, frame, new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
}

foreach (var res in resolutions)
{
    var modelPath = Path.Combine(dir, $"resnet18-{res}.onnx");
    ContractModels.WriteResNet18(modelPath, res);
    using var model = ExpressionModel.Load(modelPath, threads: threads, maxBatch: batch);
    var crops = Enumerable.Range(0, batch).Select(i => FaceTestImages.RandomBgr(res, res, seed: i)).ToList();
    var one = new[] { crops[0] };
    var oursB1 = new List<double>();
    var oursBn = new List<double>();
    var torchB1 = new List<double>();
    var torchBn = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        var load = Timing.LoadAverage();
        var b1 = Timing.Median(runs, 5, () => model.Predict(one)) * 1000;
        var bn = batch / Timing.Median(Math.Max(5, runs / 4), 2, () => model.Predict(crops));
        oursB1.Add(b1);
        oursBn.Add(bn);
        Console.WriteLine(string.Create(inv, $"res {res} round {round + 1}: UlcAg   forward b1 {b1,6:F1} ms | forward b{batch} {bn,6:F1} img/s | load {load:F2}"));
        if (!torch)
        {
            continue;
        }

        load = Timing.LoadAverage();
        var t = TorchReference.Run(python, script, res, batch, threads);
        if (t is null)
        {
            torch = false;
            continue;
        }

        torchB1.Add(t.BatchOneMs);
        torchBn.Add(t.BatchImagesPerSecond);
        Console.WriteLine(string.Create(inv, $"res {res} round {round + 1}: PyTorch forward b1 {t.BatchOneMs,6:F1} ms | forward b{batch} {t.BatchImagesPerSecond,6:F1} img/s | load {load:F2} (at start)"));
    }

    crops.ForEach(c => c.Dispose());
    var summary = string.Create(inv, $"res {res} median: UlcAg b1 {Timing.MedianOf(oursB1):F1} ms, b{batch} {Timing.MedianOf(oursBn):F1} img/s");
    if (torchB1.Count > 0)
    {
        summary += string.Create(inv,
            $" | PyTorch b1 {Timing.MedianOf(torchB1):F1} ms, b{batch} {Timing.MedianOf(torchBn):F1} img/s" +
            $" | b1 speed-up {Timing.MedianOf(torchB1) / Timing.MedianOf(oursB1):F2}x, b{batch} {Timing.MedianOf(oursBn) / Timing.MedianOf(torchBn):F2}x");
    }

    Console.WriteLine(summary);

    // End to end: decode the JPEG, detect with Haar, crop as the metadata says, run the model.
    using var detector = new HaarFaceDetector();
    var recognizer = new ExpressionRecognizer(model, detector);
    var check = recognizer.Recognize(photo);
    if (check.Faces.Count != 1)
    {
        Console.Error.WriteLine($"end to end: expected one face in {photo}, found {check.Faces.Count}");
        return 1;
    }

    var pipeline = new FacePipeline(recognizer.CropOptions, detector);
    var loadE2e = Timing.LoadAverage();
    var e2e = Timing.Median(runs, 3, () => recognizer.Recognize(photo)) * 1000;
    var front = Timing.Median(runs, 3, () =>
    {
        foreach (var face in pipeline.DetectAndAlign(photo))
        {
            face.Dispose();
        }
    }) * 1000;
    Console.WriteLine(string.Create(inv,
        $"res {res} end to end per 1280x720 photo: {e2e:F1} ms (decode + detect + crop {front:F1} ms, model {e2e - front:F1} ms) | load {loadE2e:F2}"));
}

return 0;
