namespace UlcAg.Data.Faces;

/// <summary>Which face detector to build.</summary>
public enum FaceDetectorKind
{
    /// <summary>MediaPipe BlazeFace run by ONNX Runtime (<see cref="BlazeFaceDetector"/>): boxes, scores, six keypoints. The default.</summary>
    BlazeFace,

    /// <summary>OpenCV Haar cascade (<see cref="HaarFaceDetector"/>): boxes only.</summary>
    Haar,

    /// <summary>OpenCV YuNet from an ONNX file (<see cref="YuNetFaceDetector"/>): boxes, scores, five landmarks.</summary>
    YuNet,
}
