using Microsoft.ML.OnnxRuntime;
using UlcAg.Network.Tests.Fixtures;
using UlcAg.Network.Weights.Onnx;

namespace UlcAg.Network.Tests;

/// <summary>
/// Checks the mapped weights numerically: the packaged CNTK model run by ONNX Runtime and a plain
/// torchvision-semantics forward pass (symmetric padding, epsilon 1e-5) over the mapped tensors
/// must give the same features for the same image.
/// </summary>
[TestClass]
public sealed class PackagedModelEquivalenceTests
{
    private const int Size = 224;

    [TestMethod]
    public void MappedWeightsReproduceTheCntkFeatures()
    {
        var backbone = PackagedResNet18.LoadBackbone();
        var convention = PackagedResNet18.LoadInputConvention();
        var rgb = RandomImage(seed: 7);

        var prepared = RunOrSkip(PackagedResNet18.PreprocessPath, "OriginalInput", rgb, "PreprocessedInput");
        var input = new float[rgb.Length];
        convention.Apply(rgb, input);
        Assert.AreEqual(0f, MaxAbsDifference(prepared, input), "the convention reproduces ResNetPreprocess.onnx");

        var expected = RunOrSkip(PackagedResNet18.ModelPath, backbone.InputName, input, backbone.FeatureName);
        var actual = ReferenceResNet.Features(backbone.Weights, backbone.BlocksPerStage, input, Size);

        Assert.HasCount(512, actual);
        var scale = expected.Max(MathF.Abs);
        var difference = MaxAbsDifference(expected, actual);
        Assert.IsGreaterThan(0.1f, scale, "features are not trivially zero");
        Assert.IsLessThan(1e-4f * scale, difference, $"max |difference| {difference} vs max |feature| {scale}");
    }

    [TestMethod]
    public void CompiledBackboneReproducesTheCntkFeatures()
    {
        // The compiled backbone (uint8 NHWC RGB in, normalization inside the graph) loaded with the
        // packaged weights, at the packaged model's own depth (blocks 2, 2, 2, 3) and size.
        var backbone = PackagedResNet18.LoadBackbone();
        var pretrained = UlcAg.Network.Models.Pretrained.Load("imagenet", Size, backbone.BlocksPerStage)!;
        var g = new UlcAg.Graph.GraphBuilder();
        var m = new UlcAg.Network.Layers.ModelContext(g, UlcAg.Network.Layers.GraphMode.Export, pretrained.Weights);
        var images = g.Input("images", UlcAg.Graph.DType.UInt8, 1, Size, Size, 3);
        var x = UlcAg.Network.Layers.ImageInput.FromUInt8Nhwc(g, images, pretrained.Normalization);
        g.Output(UlcAg.Network.Models.ResNet18.ForwardFeatures(m, x, blocks: backbone.BlocksPerStage), "features");

        var rgb = RandomImage(seed: 11);
        var nhwc = new byte[rgb.Length];
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < Size * Size; i++) nhwc[i * 3 + c] = (byte)rgb[c * Size * Size + i];
        }
        using var runner = new UlcAg.Runtime.ModelRunner(g);
        var actual = (float[])runner.Run(new Dictionary<string, (Array, long[])> { ["images"] = (nhwc, [1, Size, Size, 3]) })["features"];

        var prepared = RunOrSkip(PackagedResNet18.PreprocessPath, "OriginalInput", rgb, "PreprocessedInput");
        var expected = RunOrSkip(PackagedResNet18.ModelPath, backbone.InputName, prepared, backbone.FeatureName);
        var scale = expected.Max(MathF.Abs);
        var worst = expected.Zip(actual).Max(p => MathF.Abs(p.First - p.Second)) / scale;
        Assert.IsLessThanOrEqualTo(1e-4f, worst, $"max relative error {worst:G3} (max |feature| {scale})");
    }

    private static float[] RandomImage(int seed)
    {
        var random = new Random(seed);
        var image = new float[3 * Size * Size];
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = random.Next(256);
        }

        return image;
    }

    private static float[] RunOrSkip(string modelPath, string inputName, float[] input, string outputName)
    {
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            Assert.Inconclusive($"ONNX Runtime's native library cannot be loaded here: {e.Message}");
            throw;
        }

        using (session)
        {
            using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, Size, Size]);
            using var options = new RunOptions();
            using var outputs = session.Run(options, [inputName], [value], [outputName]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
    }

    private static float MaxAbsDifference(float[] a, float[] b)
    {
        Assert.HasCount(a.Length, b);
        return a.Zip(b).Max(p => MathF.Abs(p.First - p.Second));
    }
}
