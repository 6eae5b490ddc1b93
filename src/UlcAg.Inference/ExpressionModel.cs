using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using UlcAg.Data.Faces;
using UlcAg.Runtime;

namespace UlcAg.Inference;

/// <summary>
/// An exported UlcAg model loaded into ONNX Runtime, with its checked <see cref="ModelContract"/>.
/// Takes 8-bit BGR face crops (the face pipeline's output), lays them out as the contract says
/// (uint8 NHWC or float32 NCHW, RGB or BGR) and runs them in batches of at most <see cref="MaxBatch"/>.
/// Thread-safe: ONNX Runtime sessions may run concurrently.
/// </summary>
public sealed class ExpressionModel : IDisposable
{
    /// <summary>Faces per run when the model's batch dimension is dynamic.</summary>
    public const int DefaultMaxBatch = 32;

    private readonly InferenceSession _session;
    private readonly string[] _inputNames = [ModelMetadataKeys.ImageInput];
    private readonly string[] _outputNames;

    private ExpressionModel(InferenceSession session, string path, ModelContract contract, Device device, int maxBatch)
    {
        _session = session;
        Path = path;
        Contract = contract;
        Device = device;
        MaxBatch = contract.FixedBatch ?? maxBatch;
        _outputNames = contract.HasAlpha ? [ModelMetadataKeys.ProbabilitiesOutput, ModelMetadataKeys.AlphaOutput] : [ModelMetadataKeys.ProbabilitiesOutput];
    }

    /// <summary>Full path of the model file.</summary>
    public string Path { get; }

    /// <summary>What the model's metadata promises (checked against its graph).</summary>
    public ModelContract Contract { get; }

    /// <summary>Where the model runs.</summary>
    public Device Device { get; }

    /// <summary>Largest number of faces per run (the model's fixed batch, when it has one).</summary>
    public int MaxBatch { get; }

    /// <summary>Loads a model file and checks its contract.</summary>
    /// <param name="path">An exported <c>model.onnx</c> or <c>model.float32.onnx</c>.</param>
    /// <param name="device">Where to run; CPU by default.</param>
    /// <param name="threads">Intra-op threads; 0 for one per core.</param>
    /// <param name="maxBatch">Faces per run for models with a dynamic batch.</param>
    /// <exception cref="ModelException">The file is missing, not loadable, or breaks the contract.</exception>
    /// <exception cref="DeviceException">The device cannot be used.</exception>
    public static ExpressionModel Load(string path, Device? device = null, int threads = 0, int maxBatch = DefaultMaxBatch)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ModelException(Directory.Exists(full)
                ? $"Model path '{path}' is a folder; give the model.onnx file inside it."
                : $"Model file '{path}' does not exist.");
        }

        device ??= Device.Cpu;
        InferenceSession session;
        using (var options = device.CreateSessionOptions(threads))
        {
            try
            {
                session = new InferenceSession(full, options);
            }
            catch (OnnxRuntimeException e)
            {
                throw new ModelException($"Model '{path}' cannot be loaded by ONNX Runtime (is it an ONNX model?): {FirstLine(e.Message)}", e);
            }
        }

        try
        {
            return new ExpressionModel(session, full, ModelContract.Read(session, path), device, maxBatch);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Classifies face crops; any size is resized to the model's input size first.</summary>
    /// <param name="crops">8-bit, 3-channel BGR crops.</param>
    /// <returns>One prediction per crop, in order.</returns>
    /// <exception cref="ModelException">ONNX Runtime failed to run the model, or its outputs have the wrong size.</exception>
    public IReadOnlyList<ExpressionPrediction> Predict(IReadOnlyList<Mat> crops)
    {
        ArgumentNullException.ThrowIfNull(crops);
        var results = new List<ExpressionPrediction>(crops.Count);
        for (var start = 0; start < crops.Count; start += MaxBatch)
        {
            var count = Math.Min(MaxBatch, crops.Count - start);
            results.AddRange(RunChunk(crops, start, count));
        }

        return results;
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private List<ExpressionPrediction> RunChunk(IReadOnlyList<Mat> crops, int start, int count)
    {
        // A fixed-batch model runs full batches; the padding rows stay zero and are ignored.
        var n = Contract.FixedBatch ?? count;
        var size = Contract.InputSize;
        var perImage = size * size * 3;
        long[] shape = Contract.Layout == TensorLayout.Nhwc ? [n, size, size, 3] : [n, 3, size, size];
        using var tensor = Contract.PixelType == PixelType.UInt8
            ? OrtValue.CreateTensorValueFromMemory(FillUInt8(crops, start, count, n * perImage), shape)
            : OrtValue.CreateTensorValueFromMemory(FillFloat(crops, start, count, n * perImage), shape);

        try
        {
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, _inputNames, [tensor], _outputNames);
            var classes = Contract.Classes;
            var probabilities = outputs[0].GetTensorDataAsSpan<float>();
            if (probabilities.Length != n * classes.Count)
            {
                throw new ModelException($"Model '{Path}': output '{ModelMetadataKeys.ProbabilitiesOutput}' has {probabilities.Length} values for {n} faces; expected {n * classes.Count}.");
            }

            var alpha = Contract.HasAlpha ? outputs[1].GetTensorDataAsSpan<float>() : default;
            if (Contract.HasAlpha && alpha.Length != n)
            {
                throw new ModelException($"Model '{Path}': output '{ModelMetadataKeys.AlphaOutput}' has {alpha.Length} values for {n} faces; expected {n}.");
            }

            var results = new List<ExpressionPrediction>(count);
            for (var i = 0; i < count; i++)
            {
                var p = probabilities.Slice(i * classes.Count, classes.Count).ToArray();
                var best = 0;
                for (var c = 1; c < p.Length; c++)
                {
                    if (p[c] > p[best])
                    {
                        best = c;
                    }
                }

                results.Add(new ExpressionPrediction(best, classes[best], p, Contract.HasAlpha ? alpha[i] : null));
            }

            return results;
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelException($"Model '{Path}' failed to run on {count} face(s): {FirstLine(e.Message)}", e);
        }
    }

    private byte[] FillUInt8(IReadOnlyList<Mat> crops, int start, int count, int length) =>
        Fill<byte>(crops, start, count, length, CropPixels.CopyInterleaved);

    private float[] FillFloat(IReadOnlyList<Mat> crops, int start, int count, int length) =>
        Fill<float>(crops, start, count, length, Contract.Layout == TensorLayout.Nchw ? CropPixels.CopyPlanar : CropPixels.CopyInterleaved);

    /// <summary>One input buffer for <paramref name="count"/> crops (zero beyond them), each copied by <paramref name="copy"/>.</summary>
    private T[] Fill<T>(IReadOnlyList<Mat> crops, int start, int count, int length, CropCopy<T> copy)
    {
        var buffer = new T[length];
        var perImage = Contract.InputSize * Contract.InputSize * 3;
        for (var i = 0; i < count; i++)
        {
            using var crop = Sized(crops[start + i]);
            copy(crop, buffer.AsSpan(i * perImage, perImage), Contract.ChannelOrder == ChannelOrder.Rgb);
        }

        return buffer;
    }

    private delegate void CropCopy<T>(Mat bgr, Span<T> destination, bool toRgb);

    /// <summary>The crop itself when it already has the input size, else a resized copy (both owned by the caller's using).</summary>
    private Mat Sized(Mat crop)
    {
        if (crop.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"face crops must be 8-bit BGR images, got {crop.Type()}", nameof(crop));
        }

        var size = Contract.InputSize;
        return crop.Rows == size && crop.Cols == size && crop.IsContinuous() ? new Mat(crop, new Rect(0, 0, size, size)) : FaceAligner.ResizeTo(crop, size);
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
