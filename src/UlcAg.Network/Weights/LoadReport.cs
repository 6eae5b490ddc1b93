namespace UlcAg.Network.Weights;

/// <summary>The outcome of matching a set of tensors to the parameters a network expects.</summary>
/// <param name="Source">Names the tensors' origin (a file) in messages.</param>
/// <param name="Tensors">The matched tensors, in the network's order, each with the expected kind.</param>
/// <param name="Missing">Expected parameters the source does not have.</param>
/// <param name="Unexpected">Source tensors the network has no parameter for, in source order.</param>
public sealed record LoadReport(string Source, TensorMap Tensors, IReadOnlyList<ParameterSpec> Missing, IReadOnlyList<string> Unexpected)
{
    /// <summary>Names of the matched parameters.</summary>
    public IEnumerable<string> Loaded => Tensors.Names;

    /// <summary>Whether every expected parameter was found and nothing was left over.</summary>
    public bool IsExact => Missing.Count == 0 && Unexpected.Count == 0;

    /// <summary>One line per category, listing up to <paramref name="maxNames"/> names each.</summary>
    public string Summary(int maxNames = 10)
    {
        static string List(IEnumerable<string> names, int count, int max) =>
            count == 0 ? "" : ": " + string.Join(", ", names.Take(max)) + (count > max ? $", ... ({count - max} more)" : "");
        return $"{Source}: loaded {Tensors.Count} tensors" + Environment.NewLine +
            $"missing {Missing.Count}{List(Missing.Select(m => m.Name), Missing.Count, maxNames)}" + Environment.NewLine +
            $"unexpected {Unexpected.Count}{List(Unexpected, Unexpected.Count, maxNames)}";
    }

    /// <summary>Throws unless <see cref="Missing"/> is empty (and, when <paramref name="allowUnexpected"/> is false, <see cref="Unexpected"/> too).</summary>
    /// <exception cref="WeightsException">Parameters are missing or tensors are left over.</exception>
    public void EnsureComplete(bool allowUnexpected = true)
    {
        if (Missing.Count > 0 || (!allowUnexpected && Unexpected.Count > 0))
        {
            throw new WeightsException($"The weights do not fit the network. {Summary()}");
        }
    }
}
