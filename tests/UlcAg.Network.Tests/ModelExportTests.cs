using Google.Protobuf;
using UlcAg.Network.Layers;
using UlcAg.Network.Models;
using UlcAg.Network.Weights;
using UlcAg.Runtime;

namespace UlcAg.Network.Tests;

/// <summary>
/// The inference export's structure: the normalization folded into the stem (no channel-reorder
/// Slice), only ops OpenCV 4.6's ONNX importer parses, opset 11, and the eval graph's numbers.
/// </summary>
[TestClass]
public sealed class ModelExportTests
{
    /// <summary>Every op type the exports may hold: each is parsed by OpenCV 4.6's ONNX importer at opset 11.</summary>
    private static readonly HashSet<string> OpenCv46Ops =
    [
        "Cast", "Transpose", "BatchNormalization", "Sub", "Conv", "MaxPool", "Relu", "Add", "GlobalAveragePool",
        "Flatten", "Gemm", "Sigmoid", "Reshape", "Softmax",
    ];

    /// <summary>The normalizations a run can have: torchvision's, the packaged ImageNet model's (BGR, mean per channel or per pixel), and one with every factor.</summary>
    private static Normalization Norm(string name, int size) => name switch
    {
        "imagenet" => Normalization.ImageNet,
        "bgr-mean" => new Normalization("BGR", 1f, [103.9f, 116.8f, 123.7f], [1f, 1f, 1f]),
        "bgr-mean-image" => new Normalization("BGR", 1f, [0, 0, 0], [1f, 1f, 1f], MeanImage(size, 1f)),
        "bgr-scaled-mean-image" => new Normalization("BGR", 0.5f, [0, 0, 0], [2f, 4f, 8f], MeanImage(size, 0.5f)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [TestMethod]
    [DataRow("imagenet", false)]
    [DataRow("imagenet", true)]
    [DataRow("bgr-mean", false)]
    [DataRow("bgr-mean", true)]
    [DataRow("bgr-mean-image", false)]
    [DataRow("bgr-scaled-mean-image", true)]
    public void NormalizationIsFoldedIntoTheStemAndTheNumbersStay(string normalization, bool float32)
    {
        var o = NetworkFixture.Tiny(Method.TargetOnly) with { Normalization = Norm(normalization, 32) };
        var weights = WithRunningStatistics(NetworkFixture.Weights(o, seed: 6), o.Normalization);
        var images = ColouredImages(3, o.InputSize);
        var model = ModelExport.Build(o, weights, new ExportSettings(["x", "y", "z"], Float32Input: float32));

        // image -> [Cast -> Transpose] -> one pass subtracting the mean -> the stem's Conv.
        var ops = model.Graph.Node.Select(n => n.OpType).ToList();
        var prefix = float32 ? new List<string>() : ["Cast", "Transpose"];
        prefix.Add(o.Normalization.MeanImage is null ? "BatchNormalization" : "Sub");
        prefix.Add("Conv");
        CollectionAssert.AreEqual(prefix, ops.Take(prefix.Count).ToList(), string.Join(", ", ops));
        Assert.DoesNotContain("Slice", ops);
        CollectionAssert.IsSubsetOf(ops.Distinct().ToList(), OpenCv46Ops.ToList(), string.Join(", ", ops.Distinct()));
        Assert.AreEqual(11, model.OpsetImport.Single().Version);
        Assert.IsTrue(model.Graph.Node.SelectMany(n => n.Attribute).All(HasValue), "every attribute carries its value on the wire");

        var (expected, expectedAlpha) = EvalGraph(o, weights, images);
        var (probabilities, alpha) = Export(model, o.InputSize, images, float32);
        for (var i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], probabilities[i], 1e-5, $"probability {i}");
        for (var i = 0; i < expectedAlpha.Length; i++) Assert.AreEqual(expectedAlpha[i], alpha[i], 1e-5, $"alpha {i}");
        // Not a uniform output, and one that tells the images apart: the comparison can fail.
        Assert.IsGreaterThan(1e-3, expected.Max() - expected.Min());
        Assert.IsGreaterThan(1e-3, Math.Abs(expected[0] - expected[3]));
    }

    [TestMethod]
    public void BaselineExportGivesAlphaOneWithTheSameOps()
    {
        var o = NetworkFixture.Tiny(Method.Baseline) with { Normalization = Norm("bgr-mean", 32) };
        var weights = WithRunningStatistics(NetworkFixture.Weights(o, seed: 2), o.Normalization);
        var images = ColouredImages(2, o.InputSize);
        foreach (var float32 in new[] { false, true })
        {
            var model = ModelExport.Build(o, weights, new ExportSettings(["x", "y", "z"], Float32Input: float32));
            CollectionAssert.IsSubsetOf(model.Graph.Node.Select(n => n.OpType).Distinct().ToList(), OpenCv46Ops.ToList());
            Assert.AreEqual(11, model.OpsetImport.Single().Version);
            Assert.AreEqual("baseline", model.MetadataProps.Single(p => p.Key == ModelExport.KeyMethod).Value);
            var (expected, _) = EvalGraph(o, weights, images);
            var (probabilities, alpha) = Export(model, o.InputSize, images, float32);
            CollectionAssert.AreEqual(new[] { 1f, 1f }, alpha);
            for (var i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], probabilities[i], 1e-5, $"probability {i}");
        }
    }

    /// <summary>
    /// uint8 [n, size, size, 3] images whose three channels have different levels (rotating from
    /// image to image) plus noise: a swapped channel order changes what the network sees.
    /// </summary>
    private static byte[] ColouredImages(int n, int size)
    {
        var rng = new Random(12);
        var bytes = new byte[n * size * size * 3];
        for (var i = 0; i < bytes.Length; i++)
        {
            var (image, channel) = (i / (size * size * 3), i % 3);
            bytes[i] = (byte)(30 + (90 * ((image + channel) % 3)) + rng.Next(40));
        }
        return bytes;
    }

    /// <summary>A mean image [3, size, size] in 0-255 pixel units times <paramref name="scale"/>, different at every pixel.</summary>
    private static float[] MeanImage(int size, float scale) =>
        Enumerable.Range(0, 3 * size * size).Select(i => (float)(90 + (i % 7 * 5) + (i / (size * size) * 10)) * scale).ToArray();

    /// <summary>
    /// Random running statistics, with the stem's variance at the scale of its input (raw pixels
    /// give a stem output in the hundreds), so that the outputs neither saturate nor stay uniform.
    /// </summary>
    private static TensorMap WithRunningStatistics(TensorMap weights, Normalization norm)
    {
        var rng = new Random(1);
        // Pixels spread about 60 around the mean; a He-initialized convolution keeps about twice the input's variance.
        var stem = 2 * norm.Std.Average(s => Math.Pow(norm.Scale * 60 / s, 2));
        foreach (var (name, t) in weights)
        {
            var scale = name.StartsWith("bn1.", StringComparison.Ordinal) ? stem : 1;
            if (name.EndsWith("running_mean", StringComparison.Ordinal)) for (var i = 0; i < t.Data.Length; i++) t.Data[i] = (float)((rng.NextDouble() - 0.5) * Math.Sqrt(scale));
            if (name.EndsWith("running_var", StringComparison.Ordinal)) for (var i = 0; i < t.Data.Length; i++) t.Data[i] = (float)((0.5 + rng.NextDouble()) * scale);
        }
        return weights;
    }

    private static bool HasValue(Onnx.AttributeProto a) => a.Type switch
    {
        Onnx.AttributeProto.Types.AttributeType.Float => a.F != 0,
        Onnx.AttributeProto.Types.AttributeType.Int => a.I != 0,
        _ => true,
    };

    /// <summary>Softmax of the eval graph's logits (the unfolded normalization, its own passes) and its alpha.</summary>
    private static (float[] Probabilities, float[] Alpha) EvalGraph(NetworkOptions o, TensorMap weights, byte[] images)
    {
        var n = images.Length / (o.InputSize * o.InputSize * 3);
        using var eval = new ModelRunner(UlcAgNetwork.BuildEval(o));
        var feeds = new Dictionary<string, (Array, long[])> { [ArtifactNames.Images] = (images, [n, o.InputSize, o.InputSize, 3]) };
        NetworkFixture.AddWeights(feeds, weights);
        var outputs = eval.Run(feeds);
        var logits = (float[])outputs[ArtifactNames.Logits];
        var probabilities = new float[logits.Length];
        var classes = logits.Length / n;
        for (var i = 0; i < n; i++)
        {
            var row = logits.AsSpan(i * classes, classes);
            var max = row.ToArray().Max();
            var z = row.ToArray().Sum(v => Math.Exp(v - max));
            for (var c = 0; c < classes; c++) probabilities[(i * classes) + c] = (float)(Math.Exp(row[c] - max) / z);
        }
        return (probabilities, (float[])outputs[ArtifactNames.Alpha]);
    }

    /// <summary>The export on the same images: uint8 [N, H, W, 3] as they are, or float32 [N, 3, H, W].</summary>
    private static (float[] Probabilities, float[] Alpha) Export(Onnx.ModelProto model, int size, byte[] images, bool float32)
    {
        var n = images.Length / (size * size * 3);
        using var runner = new ModelRunner(model.ToByteArray());
        var feed = float32 ? (Planar(images, n, size), new long[] { n, 3, size, size }) : ((Array)images, new long[] { n, size, size, 3 });
        var outputs = runner.Run(new Dictionary<string, (Array, long[])> { [ArtifactNames.ExportImage] = feed });
        return ((float[])outputs[ArtifactNames.Probabilities], (float[])outputs[ArtifactNames.Alpha]);
    }

    private static float[] Planar(byte[] nhwc, int n, int size)
    {
        var plane = size * size;
        var planar = new float[nhwc.Length];
        for (var i = 0; i < n; i++)
            for (var p = 0; p < plane; p++)
                for (var c = 0; c < 3; c++) planar[(((i * 3) + c) * plane) + p] = nhwc[(((i * plane) + p) * 3) + c];
        return planar;
    }
}
