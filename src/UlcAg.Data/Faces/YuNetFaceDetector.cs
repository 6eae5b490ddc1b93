using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace UlcAg.Data.Faces;

/// <summary>
/// OpenCV's YuNet CNN face detector (<c>FaceDetectorYN</c>), loaded from a user-provided ONNX model
/// (e.g. face_detection_yunet_2023mar.onnx). Gives a calibrated score in [0, 1] and five landmarks.
/// </summary>
/// <remarks>
/// The network runs at a fixed square input size: each image is scaled so its longer side fills
/// that square (aspect ratio kept, the rest padded with black) and results are mapped back.
/// </remarks>
public sealed class YuNetFaceDetector : IFaceDetector
{
    // YuNet's output row: box x, y, w, h; five landmark (x, y) pairs; score.
    private const int RowLength = 15;

    private readonly FaceDetectorYN _net;
    private readonly int _inputSize;

    /// <summary>Loads the model.</summary>
    /// <param name="modelPath">The YuNet .onnx file.</param>
    /// <param name="scoreThreshold">Faces scoring below this are dropped.</param>
    /// <param name="nmsThreshold">Boxes overlapping a better one by more than this IoU are dropped.</param>
    /// <param name="inputSize">Side of the square network input, a multiple of 32.</param>
    /// <exception cref="FaceDetectorUnavailableException">The model file is missing or not loadable.</exception>
    public YuNetFaceDetector(string modelPath, float scoreThreshold = 0.6f, float nmsThreshold = 0.3f, int inputSize = 640)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        if (inputSize < 32 || inputSize % 32 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "must be a positive multiple of 32");
        }

        if (!File.Exists(modelPath))
        {
            throw new FaceDetectorUnavailableException(
                $"The YuNet face detection model '{modelPath}' does not exist (expected an .onnx file such as face_detection_yunet_2023mar.onnx).");
        }

        try
        {
            _net = FaceDetectorYN.Create(
                modelPath, "", new Size(inputSize, inputSize), scoreThreshold, nmsThreshold, 5000, Backend.OPENCV, Target.CPU);
        }
        catch (Exception e) when (e is OpenCVException or OpenCvSharpException)
        {
            throw new FaceDetectorUnavailableException($"'{modelPath}' is not a loadable YuNet ONNX model: {e.Message}", e);
        }

        _inputSize = inputSize;
    }

    /// <inheritdoc />
    public bool ProvidesLandmarks => true;

    /// <inheritdoc />
    public IReadOnlyList<DetectedFace> Detect(Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        var scale = (float)_inputSize / Math.Max(bgr.Cols, bgr.Rows);
        var w = Math.Clamp((int)Math.Round(bgr.Cols * scale), 1, _inputSize);
        var h = Math.Clamp((int)Math.Round(bgr.Rows * scale), 1, _inputSize);
        using var input = new Mat(_inputSize, _inputSize, MatType.CV_8UC3, Scalar.All(0));
        using (var roi = new Mat(input, new Rect(0, 0, w, h)))
        {
            Cv2.Resize(bgr, roi, new Size(w, h), 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        }

        using var output = new Mat();
        _net.Detect(input, output);
        var faces = new List<DetectedFace>(Math.Max(0, output.Rows));
        if (output.Empty() || output.Cols < RowLength)
        {
            return faces;
        }

        using var rows = output.Type() == MatType.CV_32FC1 ? output.Clone() : ConvertToFloat(output);
        rows.GetArray(out float[] values);
        var inv = 1f / scale;
        var (count, stride) = (rows.Rows, rows.Cols);
        for (var r = 0; r < count; r++)
        {
            var row = values.AsSpan(r * stride, RowLength);
            var box = new FaceBox(row[0] * inv, row[1] * inv, row[2] * inv, row[3] * inv);
            var marks = FiveLandmarks.FromFlat(row.Slice(4, FiveLandmarks.FivePointLength), "YuNet output").Scale(inv);
            faces.Add(new DetectedFace(box, row[14], marks));
        }

        return FaceOrdering.LargestFirst(faces);
    }

    /// <inheritdoc />
    public void Dispose() => _net.Dispose();

    private static Mat ConvertToFloat(Mat m)
    {
        var f = new Mat();
        m.ConvertTo(f, MatType.CV_32FC1);
        return f;
    }
}
