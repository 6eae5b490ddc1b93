using System.Runtime.InteropServices;
using OpenCvSharp;

namespace UlcAg.Data.Synthetic;

/// <summary>
/// The embedded synthetic FACS face dataset. Every image is a pure function of (options, split,
/// index): its random streams are derived from (seed, split, index), so images come out
/// byte-identical whatever order or thread count they are generated with.
/// </summary>
public sealed class SyntheticFaceGenerator
{
    /// <summary>Dataset name used in <see cref="DatasetSplit.Dataset"/>.</summary>
    public const string DatasetName = "synthetic";

    private readonly FaceRenderer _renderer;
    private readonly BasicExpression[][] _labels;

    /// <summary>Creates the generator; throws <see cref="SyntheticDataException"/> for invalid options.</summary>
    public SyntheticFaceGenerator(SyntheticFaceOptions options)
    {
        options.Validate();
        Options = options;
        _renderer = new FaceRenderer(options.ImageSize);
        _labels = [BuildLabels(SynthSplit.Train), BuildLabels(SynthSplit.Test)];
    }

    /// <summary>The options in force.</summary>
    public SyntheticFaceOptions Options { get; }

    private long Seed => Options.Seed ?? SyntheticFaceOptions.DefaultSeed;

    /// <summary>Number of images in a split.</summary>
    public int Count(SynthSplit split) => _labels[(int)split].Length;

    /// <summary>The label of image <paramref name="index"/> of a split.</summary>
    public BasicExpression LabelOf(SynthSplit split, int index) => _labels[(int)split][CheckIndex(split, index)];

    // Exact class counts, shuffled once per split, so every split has precisely the configured balance.
    private BasicExpression[] BuildLabels(SynthSplit split)
    {
        var (size, weights) = Options.SplitOf(split);
        var counts = ClassBalance.Counts(weights, size);
        var labels = counts.SelectMany((n, c) => Enumerable.Repeat((BasicExpression)c, n)).ToArray();
        SeededRandom.For(Seed, split, 0, SynthStream.ClassOrder).Shuffle(labels);
        return labels;
    }

    private int CheckIndex(SynthSplit split, int index)
    {
        if (index < 0 || index >= Count(split))
            throw new SyntheticDataException($"Synthetic {split} image index {index} is out of range; the split has {Count(split)} images.");
        return index;
    }

    /// <summary>RAF-DB style file name of an image (<c>train_00001.jpg</c>, <c>test_0001.jpg</c>), 1-based.</summary>
    public string FileName(SynthSplit split, int index)
    {
        var (prefix, digits) = split == SynthSplit.Train ? ("train", 5) : ("test", 4);
        digits = Math.Max(digits, Count(split).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        return $"{prefix}_{(index + 1).ToString(new string('0', digits), System.Globalization.CultureInfo.InvariantCulture)}.jpg";
    }

    /// <summary>Draws everything about an image except its pixels (fast: no rendering).</summary>
    public SyntheticFaceInfo Describe(SynthSplit split, int index)
    {
        var label = LabelOf(split, index);
        var o = Options;
        var identityKey = o.IdentityCount > 0 ? index % o.IdentityCount : index;
        var identity = FaceIdentity.Sample(SeededRandom.For(Seed, split, identityKey, SynthStream.Identity), o.Scaled(o.IdentityVariation));
        var expression = ExpressionSampler.Sample(SeededRandom.For(Seed, split, index, SynthStream.Expression), label, o);
        var scene = FaceScene.Sample(SeededRandom.For(Seed, split, index, SynthStream.Scene), o, identity);
        var pseudo = AuDetectorSimulator.Detect(SeededRandom.For(Seed, split, index, SynthStream.Detector), expression.Aus, scene,
            o.AuErrorRate, o.PseudoLabelMissBias);
        return new SyntheticFaceInfo(split, index, FileName(split, index), label, expression.BlendedWith, expression.BlendRatio,
            new FaceSpec(identity, expression.Aus, scene), pseudo);
    }

    /// <summary>Renders one image: JPEG bytes at the scene's quality and the decoded BGR pixels.</summary>
    public SyntheticFace Generate(SynthSplit split, int index)
    {
        var info = Describe(split, index);
        using var image = _renderer.Render(info.Spec);
        var (jpeg, pixels) = EncodeJpeg(image, info.Spec.Scene.JpegQuality);
        return new SyntheticFace(info, jpeg, pixels, Options.ImageSize);
    }

    /// <summary>Renders a whole split in parallel (-1: all cores); the result is in index order and independent of the thread count.</summary>
    public SyntheticFace[] GenerateAll(SynthSplit split, int maxDegreeOfParallelism = -1)
    {
        var faces = new SyntheticFace[Count(split)];
        Parallel.For(0, faces.Length, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            i => faces[i] = Generate(split, i));
        return faces;
    }

    /// <summary>
    /// A split in memory: BGR pixels of the configured size, labels (clean, so
    /// <see cref="Sample.Label"/> equals <see cref="Sample.CleanLabel"/>), AU presence labels over
    /// <see cref="FacsAus.ModelledNames"/> (<paramref name="auLabels"/>), and the rendered AUs in
    /// <see cref="Sample.RenderedAus"/>.
    /// </summary>
    public DatasetSplit CreateSplit(SynthSplit split, SyntheticAuLabels auLabels = SyntheticAuLabels.Pseudo, int maxDegreeOfParallelism = -1)
    {
        var samples = new Sample[Count(split)];
        var size = Options.ImageSize;
        Parallel.For(0, samples.Length, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, i =>
        {
            var face = Generate(split, i);
            var info = face.Info;
            var rendered = AuDetection.Exact(info.TrueAus).Presence;
            var aus = auLabels == SyntheticAuLabels.Pseudo ? info.PseudoAus.Presence : rendered;
            samples[i] = new Sample(info.FileName, new ImageSource.Pixels(face.Pixels, size, size, 3), (int)info.Label, (int)info.Label, aus, RenderedAus: rendered);
        });
        return new DatasetSplit(DatasetName, split == SynthSplit.Train ? "train" : "test", BasicExpressions.Names, FacsAus.ModelledNames, samples);
    }

    private static (byte[] Jpeg, byte[] Pixels) EncodeJpeg(Mat image, int quality)
    {
        Cv2.ImEncode(".jpg", image, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        using var decoded = Cv2.ImDecode(jpeg, ImreadModes.Color);
        if (decoded.Empty() || decoded.Rows != image.Rows || decoded.Cols != image.Cols)
            throw new SyntheticDataException($"OpenCV could not decode its own JPEG encoding of a {image.Cols}x{image.Rows} synthetic image (quality {quality}).");
        var pixels = new byte[image.Rows * image.Cols * 3];
        if (decoded.IsContinuous())
        {
            Marshal.Copy(decoded.Data, pixels, 0, pixels.Length);
        }
        else
        {
            var rowBytes = image.Cols * 3;
            var rows = decoded.Rows;
            for (var y = 0; y < rows; y++)
                Marshal.Copy(decoded.Ptr(y), pixels, y * rowBytes, rowBytes);
        }
        return (jpeg, pixels);
    }
}
