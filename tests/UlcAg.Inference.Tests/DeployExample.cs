// docs/deploy.md shows this file verbatim as its C# example; DeployExampleTests keeps the two equal.
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace MyApp;

/// <summary>A UlcAg model.onnx (or model.float32.onnx) run with ONNX Runtime alone.</summary>
public sealed class ExpressionOnnx : IDisposable
{
    private readonly InferenceSession _session;

    public ExpressionOnnx(string modelPath)
    {
        _session = new InferenceSession(modelPath);
        var meta = _session.ModelMetadata.CustomMetadataMap;
        if (!meta.TryGetValue("ulcag.classes", out var classes))
            throw new InvalidDataException($"{modelPath} is not a UlcAg export (no ulcag.classes metadata)");
        Classes = JsonSerializer.Deserialize<string[]>(classes)!;
        InputSize = int.Parse(meta["ulcag.input_size"], CultureInfo.InvariantCulture);
        Planar = meta["ulcag.input_layout"] == "NCHW";
    }

    public string[] Classes { get; }
    public int InputSize { get; }
    public bool Planar { get; }

    /// <summary>Reads an aligned face crop as raw RGB bytes of InputSize x InputSize.</summary>
    public byte[] LoadCrop(string path)
    {
        using var bgr = Cv2.ImRead(path, ImreadModes.Color);
        using var sized = bgr.Resize(new Size(InputSize, InputSize), 0, 0, InterpolationFlags.Area);
        using var rgb = sized.CvtColor(ColorConversionCodes.BGR2RGB);
        var bytes = new byte[InputSize * InputSize * 3];
        Marshal.Copy(rgb.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>Classifies faces given as consecutive RGB crops: probabilities [faces][classes], alpha [faces].</summary>
    public (float[][] Probabilities, float[] Alpha) Classify(byte[] rgbCrops)
    {
        int s = InputSize, n = rgbCrops.Length / (s * s * 3);
        using var image = Planar
            ? OrtValue.CreateTensorValueFromMemory(ToPlanar(rgbCrops, n, s), [n, 3, s, s])
            : OrtValue.CreateTensorValueFromMemory(rgbCrops, [n, s, s, 3]);
        using var options = new RunOptions();
        using var outputs = _session.Run(options, ["image"], [image], ["probabilities", "alpha"]);
        var p = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var alpha = outputs[1].GetTensorDataAsSpan<float>().ToArray();
        var c = Classes.Length;
        return (Enumerable.Range(0, n).Select(i => p[(i * c)..((i + 1) * c)]).ToArray(), alpha);
    }

    public void Dispose() => _session.Dispose();

    // model.float32.onnx: [N, 3, H, W] planes of 0-255 floats.
    private static float[] ToPlanar(byte[] rgb, int n, int s)
    {
        var planar = new float[rgb.Length];
        for (var i = 0; i < n; i++)
            for (var p = 0; p < s * s; p++)
                for (var ch = 0; ch < 3; ch++)
                    planar[(((i * 3) + ch) * s * s) + p] = rgb[(((i * s * s) + p) * 3) + ch];
        return planar;
    }
}
