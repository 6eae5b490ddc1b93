namespace UlcAg.Inference;

/// <summary>Element type of the model's image input; both carry raw 0-255 pixel values.</summary>
public enum PixelType
{
    /// <summary>8-bit unsigned integers.</summary>
    UInt8,

    /// <summary>32-bit floats holding 0..255.</summary>
    Float32,
}
