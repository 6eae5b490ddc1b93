namespace UlcAg.Inference;

/// <summary>Memory layout of the model's image input.</summary>
public enum TensorLayout
{
    /// <summary>[N, H, W, C]: interleaved pixels, as images are stored (the uint8 export).</summary>
    Nhwc,

    /// <summary>[N, C, H, W]: one plane per channel (the float32 export).</summary>
    Nchw,
}
