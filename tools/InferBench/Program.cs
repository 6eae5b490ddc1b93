// Inference speed of an exported-contract ResNet-18 through UlcAg.Inference (ONNX Runtime, CPU):
// batch-1 latency, batch-32 throughput, and end-to-end time per photo (decode, Haar detection,
// crop, model), each the median of several runs; next to PyTorch running the same ResNet-18
// forward (../shared/reference/torch_resnet18_bench.py), back to back, with the load average of
// the shared machine printed beside every figure.
//
//   dotnet run -c Release --project tools/InferBench -- --res 112 224 --rounds 3
using System.Globalization;
using InferBench;
using OpenCvSharp;
using UlcAg.Data.Faces;
using UlcAg.Data.Tests;
using UlcAg.Inference;
using UlcAg.Inference.Tests;

var resolutions = new List<int>();
int batch = 32, runs = 30, rounds = 3, threads = 2;
var python = "/usr/bin/python3";
var script = "/work/shared/reference/torch_resnet18_bench.py";
var dir = Path.Combine("artifacts", "inferbench");
var torch = true;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--res": while (i + 1 < args.Length && int.TryParse(args[i + 1], out var r)) { resolutions.Add(r); i++; } break;
        case "--batch": batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--python": python = args[++i]; break;
        case "--script": script = args[++i]; break;
        case "--dir": dir = args[++i]; break;
        case "--no-torch": torch = false; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

if (resolutions.Count == 0)
{
    resolutions = [112, 224];
}

Directory.CreateDirectory(dir);
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
