using UlcAg.Graph;
using UlcAg.Graph.Optim;
using UlcAg.Network.Layers;
using UlcAg.Runtime;

namespace UlcAg.Tools.TrainBench;

/// <summary>
/// Runs the ResNet-18 train step three ways on the same batches: with ONNX Conv, with ONNX Conv
/// from weights perturbed by one part in a million, and with lowered convolutions. After the
/// first step each momentum buffer holds its parameter's gradient (plus weight decay), so the
/// buffers compare every gradient. At initialization, ReLU masks and max-pool choices near ties
/// make some gradients sensitive to rounding: the perturbed run measures that sensitivity, and
/// the lowered graph passes when it differs from ONNX Conv by no more than rounding does.
/// </summary>
internal static class LoweringCheck
{
    public static bool Run(int res, int batch, int threads)
    {
        var (plainModel, specs) = ResNetGraphs.TrainStep(res, batch, new GraphSettings(ConvLowering.None));
        var (loweredModel, _) = ResNetGraphs.TrainStep(res, batch, new GraphSettings(ConvLowering.NhwcGemm));
        var init = Initializers.Default(specs, seed: 0).ToDictionary(kv => kv.Key, kv => kv.Value.Data);
        var perturbedInit = init.ToDictionary(kv => kv.Key, kv => kv.Value.Select((v, i) => v * (1 + 1e-6f * ((i * 7919 % 13) - 6))).ToArray());
        using var plain = new TrainingSession(plainModel, Device.Cpu, init, threads);
        using var perturbed = new TrainingSession(plainModel, Device.Cpu, perturbedInit, threads);
        using var lowered = new TrainingSession(loweredModel, Device.Cpu, init, threads);

        var rng = new Random(1);
        var images = new byte[batch * res * res * 3];
        rng.NextBytes(images);
        var labels = Enumerable.Range(0, batch).Select(_ => (long)rng.Next(ResNetGraphs.Classes)).ToArray();
        foreach (var s in new[] { plain, perturbed, lowered })
        {
            images.CopyTo(s.Feed<byte>("images"));
            labels.CopyTo(s.Feed<long>("labels"));
            s.Feed<float>(Optimizer.LearningRateInput("default"))[0] = 0.01f;
            s.Step();
        }
        Console.WriteLine($"loss: ONNX Conv {plain.Result<float>("loss")[0]:F6}, perturbed {perturbed.Result<float>("loss")[0]:F6}, lowered {lowered.Result<float>("loss")[0]:F6}");

        var reference = plain.ReadState();
        var (worstRounding, roundingName) = WorstGradientDrift(reference, perturbed.ReadState());
        var (worstLowered, loweredName) = WorstGradientDrift(reference, lowered.ReadState());
        Console.WriteLine($"largest gradient difference (max |a-b| / max |a| per tensor): rounding {worstRounding:E2} ('{roundingName}'), lowered {worstLowered:E2} ('{loweredName}')");
        var ok = worstLowered <= 3 * worstRounding + 1e-4;
        Console.WriteLine(ok ? "lowered convolutions agree with ONNX Conv within rounding" : "lowered convolutions DIFFER from ONNX Conv beyond rounding");
        return ok;
    }

    private static (double Drift, string Name) WorstGradientDrift(Dictionary<string, float[]> a, Dictionary<string, float[]> b)
        => a.Keys.Where(k => k.EndsWith(".momentum", StringComparison.Ordinal))
            .Select(k => (Drift(a[k], b[k]), k))
            .MaxBy(p => p.Item1);

    private static double Drift(float[] a, float[] b)
    {
        var scale = a.Max(v => Math.Abs(v));
        var diff = a.Zip(b).Max(p => Math.Abs(p.First - p.Second));
        return scale == 0 ? diff : diff / scale;
    }
}
