using OpenCvSharp;

namespace UlcAg.Data.Faces;

/// <summary>
/// Image to aligned face crops: decode (any depth, gray or alpha), detect (on a scaled-down copy of
/// large images), then align by landmarks, crop by box, or resize, to a square 8-bit BGR crop of
/// <see cref="FacePipelineOptions.Size"/>. Used by the image cache for dataset samples and by the
/// inference CLI for arbitrary photos. Not thread-safe when a detector is attached (detectors are not).
/// </summary>
public sealed class FacePipeline
{
    private readonly IFaceDetector? _detector;

    /// <summary>Creates the pipeline.</summary>
    /// <param name="options">Crop settings.</param>
    /// <param name="detector">Face detector, or null to never detect; not owned (the caller disposes it).</param>
    public FacePipeline(FacePipelineOptions options, IFaceDetector? detector = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _detector = detector;
    }

    /// <summary>The crop settings.</summary>
    public FacePipelineOptions Options { get; }

    /// <summary>Decodes an image file and returns every face found, largest first (see <see cref="DetectAndAlign(Mat)"/>).</summary>
    /// <exception cref="ImageDecodeException">The file is missing or not a decodable image.</exception>
    public IReadOnlyList<AlignedFace> DetectAndAlign(string imagePath)
    {
        using var bgr = ImageDecoder.DecodeFile(imagePath);
        return DetectAndAlign(bgr);
    }

    /// <summary>
    /// Every face in the image, largest first, each aligned (landmarks and <see cref="AlignMode.Auto"/>)
    /// or box-cropped. Without a detector, or in <see cref="AlignMode.Resize"/>, the whole image is
    /// the one face. An empty list means the detector found no face.
    /// </summary>
    /// <param name="image">Any 1-, 3- or 4-channel Mat of depth 8U, 16U or 32F; BGR order.</param>
    public IReadOnlyList<AlignedFace> DetectAndAlign(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var bgr = ImageDecoder.ToBgr8(image);
        if (_detector is null || Options.Mode == AlignMode.Resize)
        {
            return [new AlignedFace(FaceAligner.ResizeTo(bgr, Options.Size), FaceCropKind.Resize, null, 1f, null)];
        }

        var faces = Detect(bgr);
        var crops = new List<AlignedFace>(faces.Count);
        foreach (var face in faces)
        {
            crops.Add(CropDetected(bgr, face));
        }

        return crops;
    }

    /// <summary>
    /// Runs the detector, on a copy scaled so its longer side is <see cref="FacePipelineOptions.MaxDetectSide"/>
    /// when the image is larger; boxes and landmarks are returned in the original's pixels.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pipeline has no detector.</exception>
    public IReadOnlyList<DetectedFace> Detect(Mat bgr) => OnDetectCopy(bgr, (detector, image) => detector.Detect(image));

    /// <summary>
    /// The largest face only (<see cref="IFaceDetector.DetectLargest"/>), null when none is found; the
    /// image is scaled as for <see cref="Detect"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pipeline has no detector.</exception>
    public DetectedFace? DetectLargest(Mat bgr) =>
        OnDetectCopy(bgr, (detector, image) => detector.DetectLargest(image) is { } face ? [face] : []) is [var first, ..] ? first : null;

    private IReadOnlyList<DetectedFace> OnDetectCopy(Mat bgr, Func<IFaceDetector, Mat, IReadOnlyList<DetectedFace>> detect)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        if (_detector is null)
        {
            throw new InvalidOperationException("this face pipeline was created without a face detector");
        }

        var longer = Math.Max(bgr.Cols, bgr.Rows);
        if (longer <= Options.MaxDetectSide)
        {
            return detect(_detector, bgr);
        }

        var f = (double)Options.MaxDetectSide / longer;
        using var small = new Mat();
        Cv2.Resize(bgr, small, new Size(Math.Max(1, (int)Math.Round(bgr.Cols * f)), Math.Max(1, (int)Math.Round(bgr.Rows * f))), 0, 0, InterpolationFlags.Area);
        var fx = (float)bgr.Cols / small.Cols;
        var fy = (float)bgr.Rows / small.Rows;
        var faces = detect(_detector, small);
        var scaled = new List<DetectedFace>(faces.Count);
        foreach (var d in faces)
        {
            var box = new FaceBox(d.Box.X * fx, d.Box.Y * fy, d.Box.Width * fx, d.Box.Height * fy);
            scaled.Add(d with { Box = box, Landmarks = d.Landmarks?.Map(Up), Keypoints = d.Keypoints?.Map(Up) });
        }

        return scaled;

        // Pixel centres: small pixel i covers original [i fx, (i + 1) fx), centre (i + 0.5) fx - 0.5.
        Point2f Up(Point2f p) => new(((p.X + 0.5f) * fx) - 0.5f, ((p.Y + 0.5f) * fy) - 0.5f);
    }

    /// <summary>Decodes a dataset sample and makes its one crop (see <see cref="Prepare(Mat, FaceBox?, float[], string)"/>).</summary>
    /// <exception cref="ImageDecodeException">The image cannot be decoded, or the sample's landmarks are malformed.</exception>
    public AlignedFace Prepare(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        Mat bgr;
        try
        {
            bgr = ImageDecoder.Decode(sample.Image);
        }
        catch (ImageDecodeException e) when (sample.Image is ImageSource.Pixels)
        {
            throw new ImageDecodeException($"sample '{sample.Id}' ({e.Source})", e.Reason, e);
        }

        using (bgr)
        {
            return Prepare(bgr, sample.Box, sample.Landmarks, sample.Id);
        }
    }

    /// <summary>
    /// The single crop of a dataset sample, per <see cref="FacePipelineOptions.Mode"/>: given landmarks
    /// (10 or 136 values) win over a given box, which wins over detection (largest face); with none of
    /// them, or when the detector finds nothing, the whole image is resized. Detection looks for the
    /// largest face only (<see cref="IFaceDetector.DetectLargest"/>).
    /// </summary>
    /// <param name="bgr">8-bit BGR image.</param>
    /// <param name="box">Annotated face box, if any.</param>
    /// <param name="landmarks">Annotated landmarks as x, y pairs, if any.</param>
    /// <param name="owner">Names the sample in error messages.</param>
    public AlignedFace Prepare(Mat bgr, FaceBox? box, float[]? landmarks, string owner)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        var size = Options.Size;
        if (Options.Mode == AlignMode.Resize)
        {
            return new AlignedFace(FaceAligner.ResizeTo(bgr, size), FaceCropKind.Resize, null, 1f, null);
        }

        if (Options.Mode == AlignMode.Auto && landmarks is not null)
        {
            try
            {
                var marks = FiveLandmarks.FromFlat(landmarks, $"landmarks of sample '{owner}'");
                return new AlignedFace(FaceAligner.AlignToTemplate(bgr, marks, size, Options.TemplatePadding), FaceCropKind.FivePoint, box, 1f, marks);
            }
            catch (ArgumentException e)
            {
                // Wrong point count, or all points equal (no transform exists): bad annotation, not a bug.
                throw new ImageDecodeException($"sample '{owner}'", e.Message, e);
            }
        }

        if (box is { } b && b.Width > 0 && b.Height > 0)
        {
            return new AlignedFace(FaceAligner.CropBox(bgr, b, Options.Margin, size), FaceCropKind.Box, b, 1f, null);
        }

        if (_detector is not null)
        {
            if (DetectLargest(bgr) is { } face)
            {
                return CropDetected(bgr, face);
            }

            return new AlignedFace(FaceAligner.ResizeTo(bgr, size), FaceCropKind.NoFaceFound, null, 0f, null);
        }

        return new AlignedFace(FaceAligner.ResizeTo(bgr, size), FaceCropKind.Resize, null, 1f, null);
    }

    private AlignedFace CropDetected(Mat bgr, DetectedFace face)
    {
        if (Options.Mode == AlignMode.Auto && face.Landmarks is not null)
        {
            var aligned = FaceAligner.AlignToTemplate(bgr, face.Landmarks, Options.Size, Options.TemplatePadding);
            return new AlignedFace(aligned, FaceCropKind.FivePoint, face.Box, face.Score, face.Landmarks);
        }

        if (Options.Mode == AlignMode.Auto && face.Keypoints is not null)
        {
            var aligned = FaceAligner.AlignToTemplate(bgr, face.Keypoints, Options.Size, Options.TemplatePadding);
            return new AlignedFace(aligned, FaceCropKind.ThreePoint, face.Box, face.Score, face.Landmarks, face.Keypoints);
        }

        return new AlignedFace(FaceAligner.CropBox(bgr, face.Box, Options.Margin, Options.Size), FaceCropKind.Box, face.Box, face.Score, face.Landmarks, face.Keypoints);
    }
}
