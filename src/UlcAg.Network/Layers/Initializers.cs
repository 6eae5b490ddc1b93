using UlcAg.Network.Weights;

namespace UlcAg.Network.Layers;

/// <summary>torchvision's default initialization for freshly created weights.</summary>
public static class Initializers
{
    /// <summary>
    /// Initial values for <paramref name="specs"/>: convolutions Kaiming-normal (fan_out, ReLU),
    /// batch-norm weight 1, bias 0, running mean 0, running var 1; linear layers uniform in
    /// +-1/sqrt(fan_in) (PyTorch's nn.Linear default), except the AU branch's node projection and
    /// GCN weights (neighbour and self weights), Kaiming-normal over their fan-in.
    /// </summary>
    public static TensorMap Default(IEnumerable<ParameterSpec> specs, int seed)
    {
        var rng = new Random(seed);
        var map = new TensorMap();
        foreach (var spec in specs)
        {
            var n = (int)HostTensor.ElementCount(spec.Shape);
            var data = new float[n];
            var leaf = spec.Name[(spec.Name.LastIndexOf('.') + 1)..];
            if (spec.Name.StartsWith("aux.", StringComparison.Ordinal) && leaf is ("weight" or "self_weight") && spec.Name != "aux.classifier.weight")
            {
                // The AU branch stacks three ReLU-type layers before its classifiers; Kaiming-normal
                // (fan_in) keeps their activations from shrinking layer by layer, which with
                // nn.Linear's default init stalls the branch for many epochs.
                var fanIn = spec.Name.Contains(".gcn", StringComparison.Ordinal) ? spec.Shape[0] : spec.Shape[1];
                var std = Math.Sqrt(2.0 / fanIn);
                for (var i = 0; i < n; i++) data[i] = (float)(Gaussian(rng) * std);
            }
            else if (spec.Shape.Length == 4)
            {
                var std = Math.Sqrt(2.0 / (spec.Shape[0] * spec.Shape[2] * spec.Shape[3]));
                for (var i = 0; i < n; i++) data[i] = (float)(Gaussian(rng) * std);
            }
            else if (leaf == "running_var" || (leaf == "weight" && spec.Shape.Length == 1))
            {
                Array.Fill(data, 1f);
            }
            else if (leaf is "running_mean" || (leaf == "bias" && IsNormBias(spec, specs)))
            {
                // zeros
            }
            else
            {
                var fanIn = spec.Shape.Length == 2 ? spec.Shape[1] : FanInOfBias(spec, specs);
                var bound = 1.0 / Math.Sqrt(fanIn);
                for (var i = 0; i < n; i++) data[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
            }
            map.Add(spec.Name, new HostTensor(spec.Shape, data));
        }
        return map;
    }

    private static bool IsNormBias(ParameterSpec bias, IEnumerable<ParameterSpec> specs)
    {
        var stem = bias.Name[..bias.Name.LastIndexOf('.')];
        return specs.Any(s => s.Name == $"{stem}.running_mean");
    }

    private static long FanInOfBias(ParameterSpec bias, IEnumerable<ParameterSpec> specs)
    {
        var stem = bias.Name[..bias.Name.LastIndexOf('.')];
        var weight = specs.FirstOrDefault(s => s.Name == $"{stem}.weight");
        return weight is { Shape.Length: 2 } ? weight.Shape[1] : Math.Max(1, bias.Shape[0]);
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
