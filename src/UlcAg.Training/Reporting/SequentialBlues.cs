using ScottPlot;

namespace UlcAg.Training.Reporting;

/// <summary>
/// White (0) to dark blue (1), so empty cells of a heat map read as background and the eye goes to the
/// large shares. The anchors are the ColorBrewer "Blues" scheme, interpolated linearly.
/// </summary>
internal sealed class SequentialBlues : IColormap
{
    private static readonly Color[] Anchors = Color.FromHex(
        ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]);

    public string Name => "Sequential blues";

    public Color GetColor(double position)
    {
        var at = Math.Clamp(double.IsNaN(position) ? 0 : position, 0, 1) * (Anchors.Length - 1);
        var low = Math.Min((int)at, Anchors.Length - 2);
        return Anchors[low].InterpolateRgb(Anchors[low + 1], at - low);
    }
}
