namespace UlcAg.Data.Loading;

/// <summary>Settings of <see cref="TrainLoader"/>.</summary>
public sealed record TrainLoaderOptions
{
    /// <summary>Images per batch; every batch is full (the last partial one of an epoch is dropped).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Seed of the shuffle and of every augmentation draw.</summary>
    public long Seed { get; init; }

    /// <summary>Worker threads filling batches; 0 fills each batch on the consuming thread.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Batches prepared ahead of the consumer (the bound of the prefetch queue).</summary>
    public int Prefetch { get; init; } = 4;

    /// <summary>Augmentation; <see cref="AugmentOptions.None"/> to switch it off.</summary>
    public AugmentOptions Augment { get; init; } = new();

    /// <summary>
    /// Recycle batch arrays: a batch is then only valid until the enumerator advances. Off gives
    /// every batch fresh arrays.
    /// </summary>
    public bool ReuseBuffers { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(Workers, nameof(Workers));
        ArgumentOutOfRangeException.ThrowIfLessThan(Prefetch, 1, nameof(Prefetch));
        ArgumentNullException.ThrowIfNull(Augment, nameof(Augment));
        Augment.Validate();
    }
}
