namespace UlcAg.Data.Faces;

/// <summary>How a face becomes a square crop.</summary>
public enum AlignMode
{
    /// <summary>
    /// The best the sample allows: a 5-point alignment when landmarks are known (given, or from the
    /// detector), else a box crop (given or detected box), else a plain resize.
    /// </summary>
    Auto,

    /// <summary>A box crop with margin (given or detected box), else a plain resize; landmarks are ignored.</summary>
    Box,

    /// <summary>A plain resize of the whole image: for datasets that already are aligned face crops.</summary>
    Resize,
}
