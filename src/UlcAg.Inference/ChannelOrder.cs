namespace UlcAg.Inference;

/// <summary>Order of the three colour channels the model expects.</summary>
public enum ChannelOrder
{
    /// <summary>Red, green, blue (the UlcAg exports).</summary>
    Rgb,

    /// <summary>Blue, green, red (OpenCV's order).</summary>
    Bgr,
}
