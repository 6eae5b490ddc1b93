namespace UlcAg.Network.Weights;

/// <summary>
/// Applies named tensors (a checkpoint) to the parameters a network expects, as PyTorch's
/// <c>load_state_dict</c> does: names are matched exactly, shapes must agree, and missing and
/// unexpected names are reported rather than guessed at.
/// </summary>
public static class WeightLoader
{
    /// <summary>Matches <paramref name="source"/> against <paramref name="expected"/>.</summary>
    /// <param name="source">The tensors to load.</param>
    /// <param name="expected">The network's parameters and buffers, in the network's order.</param>
    /// <param name="sourceName">Names the source (e.g. its file) in the report and in errors.</param>
    /// <exception cref="WeightsException">
    /// A tensor's shape differs from the expected one (the message names every such key with both
    /// shapes), or a value meant for an integer parameter is not an integer.
    /// </exception>
    public static LoadReport Apply(TensorMap source, IEnumerable<ParameterSpec> expected, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(expected);
        var loaded = new TensorMap();
        var missing = new List<ParameterSpec>();
        var mismatches = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in expected)
        {
            if (!names.Add(spec.Name))
            {
                throw new ArgumentException($"Parameter '{spec.Name}' is listed twice.", nameof(expected));
            }

            if (!source.TryGet(spec.Name, out var tensor))
            {
                missing.Add(spec);
                continue;
            }

            if (!tensor.HasShape(spec.Shape))
            {
                mismatches.Add($"'{spec.Name}': found {HostTensor.FormatShape(tensor.Shape)}, expected {HostTensor.FormatShape(spec.Shape)}");
                continue;
            }

            loaded.Add(spec.Name, ToKind(tensor, spec, sourceName));
        }

        if (mismatches.Count > 0)
        {
            throw new WeightsException(
                $"{sourceName}: {mismatches.Count} tensor(s) have the wrong shape for the network: {string.Join("; ", mismatches)}.");
        }

        var unexpected = source.Names.Where(n => !names.Contains(n)).ToList();
        return new LoadReport(sourceName, loaded, missing, unexpected);
    }

    private static HostTensor ToKind(HostTensor tensor, ParameterSpec spec, string sourceName)
    {
        if (tensor.Kind == spec.Kind)
        {
            return tensor;
        }

        if (spec.Kind == TensorKind.Int64)
        {
            var index = Array.FindIndex(tensor.Data, v => !float.IsInteger(v));
            if (index >= 0)
            {
                throw new WeightsException(
                    $"{sourceName}: '{spec.Name}' must hold integers but value #{index} is {tensor.Data[index]}.");
            }
        }

        return new HostTensor(tensor.Shape, tensor.Data, spec.Kind);
    }
}
