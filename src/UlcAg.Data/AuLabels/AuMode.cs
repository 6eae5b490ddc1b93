namespace UlcAg.Data.AuLabels;

/// <summary>How an AU's 0/1 pseudo-label is read from an OpenFace row.</summary>
public enum AuMode
{
    /// <summary>The presence columns (<c>AU01_c</c>; bare <c>AU01</c> columns in a generic CSV).</summary>
    Presence,

    /// <summary>The intensity columns (<c>AU01_r</c>, 0..5): present when the intensity is at least the threshold.</summary>
    Intensity,
}
