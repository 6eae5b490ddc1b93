namespace UlcAg.Training.Reporting;

/// <summary>Pixel size of a rendered plot.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public readonly record struct PlotSize(int Width, int Height)
{
    /// <summary>The size of the line charts in a run report.</summary>
    public static PlotSize Default { get; } = new(1000, 600);

    /// <summary>The size of square charts (confusion matrix).</summary>
    public static PlotSize Square { get; } = new(860, 760);

    /// <summary>Throws unless both sides are in 100..8000 pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A side is outside 100..8000.</exception>
    public void Validate()
    {
        if (Width is < 100 or > 8000 || Height is < 100 or > 8000)
            throw new ArgumentOutOfRangeException(nameof(PlotSize), this, "Plot sides must be 100..8000 pixels.");
    }
}
