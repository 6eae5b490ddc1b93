namespace UlcAg.Graph;

/// <summary>How <see cref="GraphBuilder.Conv"/> emits a convolution whose weight is not a constant.</summary>
public enum ConvLowering
{
    /// <summary>ONNX Conv (and ConvTranspose/Conv in the backward pass): best where cuDNN runs them.</summary>
    None,

    /// <summary>
    /// Gather-based im2col in NHWC plus one GEMM per convolution, backward included. ONNX
    /// Runtime's CPU Conv runs one small GEMM per image, which wastes most of the machine on the
    /// 7x7 and 4x4 maps of ResNet's later stages; a batch-wide GEMM does not. ONNX Runtime's
    /// transpose optimizer removes the NCHW/NHWC transposes between neighbouring convolutions.
    /// Convolutions with constant weights (inference exports) stay ONNX Conv.
    /// </summary>
    NhwcGemm,
}
