namespace UlcAg.Data.Synthetic;

/// <summary>
/// Intensities 0..1 of the modelled action units (<see cref="FacsAus.Modelled"/>), indexed by
/// FACS number: <c>aus[12]</c> is the lip corner puller. An AU is present when its intensity is
/// above zero. Immutable; <see cref="With"/> returns a changed copy.
/// </summary>
public sealed class AuIntensities : IEquatable<AuIntensities>
{
    private readonly float[] _values;

    /// <summary>All AUs absent (a neutral face).</summary>
    public static AuIntensities None { get; } = new(new float[FacsAus.Count]);

    private AuIntensities(float[] values) => _values = values;

    /// <summary>From values in <see cref="FacsAus.Modelled"/> order, each clamped to 0..1.</summary>
    public static AuIntensities FromVector(IReadOnlyList<float> values)
    {
        if (values.Count != FacsAus.Count)
            throw new SyntheticDataException($"An AU vector needs {FacsAus.Count} values (one per modelled AU), got {values.Count}.");
        return new AuIntensities(values.Select(v => Math.Clamp(v, 0f, 1f)).ToArray());
    }

    /// <summary>From (AU number, intensity) pairs; other AUs are absent.</summary>
    public static AuIntensities Of(params (int Au, float Intensity)[] aus)
    {
        var values = new float[FacsAus.Count];
        foreach (var (au, intensity) in aus)
            values[CheckedIndex(au)] = Math.Clamp(intensity, 0f, 1f);
        return new AuIntensities(values);
    }

    private static int CheckedIndex(int au)
    {
        var i = FacsAus.IndexOf(au);
        if (i < 0)
            throw new SyntheticDataException($"AU{au} is not modelled by the synthetic renderer; modelled AUs: {string.Join(", ", FacsAus.ModelledNames)}.");
        return i;
    }

    /// <summary>Intensity of AU <paramref name="au"/> (FACS number); 0 for AUs the renderer does not model.</summary>
    public float this[int au] => FacsAus.IndexOf(au) is var i and >= 0 ? _values[i] : 0f;

    /// <summary>A copy with AU <paramref name="au"/> set to <paramref name="intensity"/>.</summary>
    public AuIntensities With(int au, float intensity)
    {
        var values = (float[])_values.Clone();
        values[CheckedIndex(au)] = Math.Clamp(intensity, 0f, 1f);
        return new AuIntensities(values);
    }

    /// <summary>The intensities in <see cref="FacsAus.Modelled"/> order (a copy).</summary>
    public float[] ToVector() => (float[])_values.Clone();

    /// <summary>The present AUs (FACS numbers), ascending.</summary>
    public IEnumerable<int> Present() => FacsAus.Modelled.Where((_, i) => _values[i] > 0f);

    /// <inheritdoc/>
    public bool Equals(AuIntensities? other) => other is not null && _values.AsSpan().SequenceEqual(other._values);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as AuIntensities);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var v in _values)
            hash.Add(v);
        return hash.ToHashCode();
    }

    /// <summary>Present AUs with intensities, e.g. <c>AU06:0.70 AU12:0.85</c>.</summary>
    public override string ToString() =>
        _values.Any(v => v > 0)
            ? string.Join(' ', FacsAus.Modelled.Select((au, i) => (au, v: _values[i])).Where(p => p.v > 0)
                .Select(p => FormattableString.Invariant($"{FacsAus.Name(p.au)}:{p.v:0.00}")))
            : "neutral";
}
