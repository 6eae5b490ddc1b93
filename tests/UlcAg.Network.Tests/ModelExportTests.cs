using Google.Protobuf;
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

    [TestMethod]
    [DataRow("imagenet", false)]
    [DataRow("imagenet", true)]
    [DataRow("bgr-mean", false)]
    [DataRow("bgr-mean", true)]
    [DataRow("bgr-mean-image", false)]
    [DataRow("bgr-scaled-mean-image", true)]
    public void NormalizationIsFoldedIntoTheStemAndTheNumbersStay(string normalization, bool float32)
    {
        var o = NetworkFixture.Tiny(Method.TargetOnly) with { Normalization = ExportFixture.Norm(normalization, 32) };
        var weights = ExportFixture.Weights(o, seed: 6);
        var images = ExportFixture.ColouredImages(3, o.InputSize);
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
        var o = NetworkFixture.Tiny(Method.Baseline) with { Normalization = ExportFixture.Norm("bgr-mean", 32) };
        var weights = ExportFixture.Weights(o, seed: 2);
        var images = ExportFixture.ColouredImages(2, o.InputSize);
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
