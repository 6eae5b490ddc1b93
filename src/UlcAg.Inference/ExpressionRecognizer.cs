using OpenCvSharp;
using UlcAg.Data.Faces;

namespace UlcAg.Inference;

/// <summary>
/// Photo to expressions: decode, detect every face, crop each as the model's metadata says, and
/// classify the crops in batches that span images (a folder of single-face photos still runs full
/// batches). Per-image failures become <see cref="ImageStatus.Error"/> results; the rest go on.
/// Not thread-safe (face detectors are not).
/// </summary>
public sealed class ExpressionRecognizer
{
    private readonly ExpressionModel _model;
    private readonly FacePipeline _pipeline;

    /// <summary>Creates the recognizer.</summary>
    /// <param name="model">The loaded model; not owned.</param>
    /// <param name="detector">
    /// Face detector (not owned), or null when the images already are face crops: each whole image is
    /// then resized to the input size, as <c>--no-detect</c> asks.
    /// </param>
    public ExpressionRecognizer(ExpressionModel model, IFaceDetector? detector)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        var options = model.Contract.Alignment.ToPipelineOptions(model.Contract.InputSize);
        if (detector is not null && options.Mode == AlignMode.Resize)
        {
            // "resize" means the training images already were face crops; a photo is not, so its
            // detected faces are box-cropped with the training margin instead of resizing the photo.
            options = options with { Mode = AlignMode.Box };
        }

        _pipeline = new FacePipeline(options, detector);
        Detects = detector is not null;
    }

    /// <summary>The model's classes, in output order.</summary>
    public IReadOnlyList<string> Classes => _model.Contract.Classes;

    /// <summary>True when faces are detected; false when whole images are classified.</summary>
    public bool Detects { get; }

    /// <summary>The crop settings in use.</summary>
    public FacePipelineOptions CropOptions => _pipeline.Options;

    /// <summary>Processes one image file.</summary>
    public ImageResult Recognize(string path) => Run([new InputImage(path, Path.GetFileName(path))]).Single();

    /// <summary>
    /// Detects, crops and classifies every face of one decoded image (a video frame), largest first,
    /// in one model run; an empty list when no face is found.
    /// </summary>
    /// <param name="bgr">The image, any layout <see cref="FacePipeline.DetectAndAlign(Mat)"/> takes.</param>
    public IReadOnlyList<FaceResult> RecognizeFrame(Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        var faces = _pipeline.DetectAndAlign(bgr);
        try
        {
            var predictions = faces.Count == 0 ? [] : _model.Predict([.. faces.Select(f => f.Crop)]);
            return [.. faces.Select((f, i) => new FaceResult(f.Box, f.Kind, f.Score, predictions[i]))];
        }
        finally
        {
            foreach (var face in faces)
            {
                face.Dispose();
            }
        }
    }

    /// <summary>
    /// Processes the images lazily, yielding one result per input in input order. Faces are held
    /// back until <see cref="ExpressionModel.MaxBatch"/> crops are pending (or the input ends).
    /// </summary>
    public IEnumerable<ImageResult> Run(IEnumerable<InputImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var pending = new List<Pending>();
        var pendingCrops = 0;
        try
        {
            foreach (var image in images)
            {
                var item = Prepare(image);
                pending.Add(item);
                pendingCrops += item.Faces.Count;
                if (pendingCrops >= _model.MaxBatch)
                {
                    foreach (var result in Flush(pending))
                    {
                        yield return result;
                    }

                    pendingCrops = 0;
                }
            }

            foreach (var result in Flush(pending))
            {
                yield return result;
            }
        }
        finally
        {
            foreach (var item in pending)
            {
                item.Dispose();
            }
        }
    }

    private Pending Prepare(InputImage image)
    {
        if (image.Error is not null)
        {
            return new Pending(image, 0, 0, [], image.Error);
        }

        try
        {
            using var bgr = ImageDecoder.DecodeFile(image.Path);
            var faces = _pipeline.DetectAndAlign(bgr);
            return new Pending(image, bgr.Cols, bgr.Rows, faces, null);
        }
        catch (ImageDecodeException e)
        {
            return new Pending(image, 0, 0, [], e.Reason);
        }
        catch (OpenCVException e)
        {
            return new Pending(image, 0, 0, [], $"image processing failed ({e.Message.Trim()})");
        }
        catch (OutOfMemoryException)
        {
            return new Pending(image, 0, 0, [], "the image is too large to hold in memory");
        }
    }

    private List<ImageResult> Flush(List<Pending> pending)
    {
        var crops = pending.SelectMany(p => p.Faces).Select(f => f.Crop).ToList();
        var predictions = crops.Count == 0 ? [] : _model.Predict(crops);
        var results = new List<ImageResult>(pending.Count);
        var next = 0;
        foreach (var item in pending)
        {
            if (item.Error is not null)
            {
                results.Add(ImageResult.Failed(item.Input, item.Error));
                continue;
            }

            var faces = new List<FaceResult>(item.Faces.Count);
            foreach (var face in item.Faces)
            {
                faces.Add(new FaceResult(face.Box, face.Kind, face.Score, predictions[next++]));
            }

            results.Add(new ImageResult(item.Input, faces.Count > 0 ? ImageStatus.Ok : ImageStatus.NoFace, item.Width, item.Height, faces));
            item.Dispose();
        }

        pending.Clear();
        return results;
    }

    private sealed record Pending(InputImage Input, int Width, int Height, IReadOnlyList<AlignedFace> Faces, string? Error) : IDisposable
    {
        public void Dispose()
        {
            foreach (var face in Faces)
            {
                face.Dispose();
            }
        }
    }
}
