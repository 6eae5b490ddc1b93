namespace UlcAg.Data.Synthetic;

/// <summary>
/// The random streams a synthetic face draws from. Each image owns independent streams, so
/// changing one knob (say, the occlusion probability) leaves the identity and expression of
/// every face unchanged.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A stream of random numbers, not an I/O stream.")]
public enum SynthStream
{
    /// <summary>Class order of a split.</summary>
    ClassOrder = 1,
    /// <summary>Face shape, colours, hair.</summary>
    Identity = 2,
    /// <summary>Action units and ambiguity.</summary>
    Expression = 3,
    /// <summary>Pose, lighting, occlusion, degradations.</summary>
    Scene = 4,
    /// <summary>Background clutter shapes and pixel noise.</summary>
    Pixels = 5,
    /// <summary>Simulated AU detector errors.</summary>
    Detector = 6,
}
