using System.Collections;

namespace UlcAg.Network.Weights;

/// <summary>
/// An ordered set of named tensors: a checkpoint, an export, or the weights applied to a network.
/// Names keep their insertion order, which is the order in which files are written. String
/// metadata travels with the tensors (safetensors <c>__metadata__</c>).
/// </summary>
public sealed class TensorMap : IEnumerable<KeyValuePair<string, HostTensor>>
{
    private readonly OrderedDictionary<string, HostTensor> _tensors = new(StringComparer.Ordinal);

    /// <summary>Free-form string metadata, in insertion order.</summary>
    public OrderedDictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Number of tensors.</summary>
    public int Count => _tensors.Count;

    /// <summary>Tensor names in order.</summary>
    public IEnumerable<string> Names => _tensors.Keys;

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public HostTensor this[string name] =>
        _tensors.TryGetValue(name, out var tensor)
            ? tensor
            : throw new KeyNotFoundException($"No tensor named '{name}'.");

    /// <summary>Adds a tensor under a new name.</summary>
    /// <exception cref="ArgumentException">The name is empty or already present.</exception>
    public void Add(string name, HostTensor tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tensor);
        if (!_tensors.TryAdd(name, tensor))
        {
            throw new ArgumentException($"A tensor named '{name}' is already present.", nameof(name));
        }
    }

    /// <summary>Adds a tensor or replaces the one with the same name, keeping its position.</summary>
    public void Set(string name, HostTensor tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tensor);
        _tensors[name] = tensor;
    }

    /// <summary>Whether a tensor with this name exists.</summary>
    public bool Contains(string name) => _tensors.ContainsKey(name);

    /// <summary>Looks a tensor up by name.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HostTensor? tensor) =>
        _tensors.TryGetValue(name, out tensor);

    /// <summary>Removes a tensor; returns whether it existed.</summary>
    public bool Remove(string name) => _tensors.Remove(name);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, HostTensor>> GetEnumerator() => _tensors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
