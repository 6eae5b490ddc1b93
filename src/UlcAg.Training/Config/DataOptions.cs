using UlcAg.Data.AuLabels;
using UlcAg.Data.Faces;
using UlcAg.Data.Formats;
using UlcAg.Data.Issues;
using UlcAg.Data.Noise;
using UlcAg.Data.Synthetic;
using UlcAg.Network.Models;

namespace UlcAg.Training.Config;

/// <summary>YAML section <c>data</c>: which dataset, how faces become network inputs, AU pseudo-labels and label noise.</summary>
public sealed record DataOptions
{
    /// <summary>YAML <c>format</c>: the dataset reader.</summary>
    public DataFormat Format { get; init; } = DataFormat.Synthetic;

    /// <summary>
    /// YAML <c>root</c>: the dataset's root folder; required (and must exist) for every real format.
    /// For <c>synthetic</c>, where the generated dataset is written; null puts it under <see cref="CacheDir"/>.
    /// </summary>
    public string? Root { get; init; }

    /// <summary>YAML <c>train_split</c>: the split trained on.</summary>
    public string TrainSplit { get; init; } = "train";

    /// <summary>YAML <c>test_split</c>: the split reported at the end of training.</summary>
    public string TestSplit { get; init; } = "test";

    /// <summary>
    /// YAML <c>val_split</c>: a split used for model selection; null holds out <see cref="ValFraction"/>
    /// of the training split instead. When set, <see cref="ValFraction"/> is not used.
    /// </summary>
    public string? ValSplit { get; init; }

    /// <summary>
    /// YAML <c>val_fraction</c>: the fraction of each training class held out (by <see cref="TrainOptions.Seed"/>)
    /// for model selection when <see cref="ValSplit"/> is null. 0 means no validation: the last epoch's model is kept.
    /// </summary>
    public double ValFraction { get; init; } = 0.1;

    /// <summary>YAML <c>input_size</c>: side of the square network input in pixels.</summary>
    public int InputSize { get; init; } = 112;

    /// <summary>YAML <c>classes</c>: keep only these classes, in this order; null keeps the dataset's own classes and order.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>YAML <c>align</c>: how a face becomes a square crop.</summary>
    public AlignMode Align { get; init; } = AlignMode.Auto;

    /// <summary>YAML <c>margin</c>: box crops add this fraction of the box's longer side on each side.</summary>
    public double Margin { get; init; } = 0.2;

    /// <summary>
    /// YAML <c>detector</c>: the face detector for images without a given box or landmarks:
    /// <c>blazeface</c> (MediaPipe BlazeFace, shipped with UlcAg; the one <c>ulcag-infer</c> uses by
    /// default, so training and inference crops agree), <c>haar</c> (the OpenCV cascade from Debian's
    /// opencv-data), <c>none</c>, or a file: a Haar cascade <c>.xml</c> or a YuNet <c>.onnx</c> model.
    /// </summary>
    public string Detector { get; init; } = "blazeface";

    /// <summary>YAML <c>cache_dir</c>: where the decoded, aligned uint8 image caches are kept.</summary>
    public string CacheDir { get; init; } = "artifacts/cache";

    /// <summary>YAML <c>bad_input</c>: stop at the first bad row or image, or skip and count it.</summary>
    public IssuePolicy BadInput { get; init; } = IssuePolicy.Fail;

    /// <summary>YAML <c>au</c>: AU pseudo-labels of a real dataset (the mode, threshold and subset also apply to the synthetic one's).</summary>
    public AuSourceOptions Au { get; init; } = new();

    /// <summary>YAML <c>noise</c>: synthetic label noise injected into the training labels.</summary>
    public NoiseOptions Noise { get; init; } = new();

    /// <summary>YAML <c>synthetic</c>: the generated dataset (format <c>synthetic</c> only), rendered at <see cref="InputSize"/>.</summary>
    public SyntheticFaceOptions Synthetic { get; init; } = new();

    /// <summary>The face detector to use, or null for <c>none</c>.</summary>
    public FaceDetectorSpec? DetectorSpec => Detector.ToLowerInvariant() switch
    {
        "none" => null,
        "blazeface" => FaceDetectorSpec.BlazeFace(),
        "haar" => FaceDetectorSpec.Haar(),
        _ when Detector.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) => FaceDetectorSpec.YuNet(Detector),
        _ => FaceDetectorSpec.Haar(Detector),
    };

    internal void Check(ConfigChecker check, TrainOptions options)
    {
        var real = Format != DataFormat.Synthetic;
        if (real)
        {
            if (Root is null)
            {
                check.Fail("root", $"is not set; format '{EnumWords.ToWord(Format)}' needs the dataset's root folder (data.root or --data-root)", relatedKey: "format");
            }
            else
            {
                check.DirectoryExists("root", Root, "the dataset's root folder");
            }
        }

        check.NotBlank("train_split", TrainSplit);
        check.NotBlank("test_split", TestSplit);
        if (ValSplit is not null)
        {
            check.NotBlank("val_split", ValSplit);
            check.Require(ValSplit != TrainSplit, "val_split", $"is the training split '{TrainSplit}'; expected another split or null");
        }

        check.Require(TestSplit != TrainSplit, "test_split", $"is the training split '{TrainSplit}'; expected another split");
        check.Between("val_fraction", ValFraction, 0, 0.5, maxOpen: false);
        check.Between("input_size", InputSize, 32, 1024);
        if (Classes is not null)
        {
            check.Require(Classes.Count >= 2, "classes", $"lists {Classes.Count} class(es); expected at least 2 class names, or null for all");
            check.DistinctNames("classes", Classes);
        }

        check.Between("margin", Margin, 0, 1);
        var detector = Detector.ToLowerInvariant();
        if (detector is not ("blazeface" or "haar" or "none"))
        {
            check.Require(
                Detector.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || Detector.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase),
                "detector", $"'{Detector}' is not a detector; expected blazeface, haar, none, a Haar cascade .xml or a YuNet .onnx file");
            check.FileExists("detector", Detector, "the face detector model");
        }

        check.NotBlank("cache_dir", CacheDir);
        CheckAuSource(check.At("au"), options, real);
        Au.Check(check.At("au"));
        Noise.Check(check.At("noise"));
        Synthetic.Check(check.At("synthetic"));
        if (!real)
        {
            // The generated dataset has exactly these two splits (RAF-DB layout).
            check.Require(TrainSplit == "train", "train_split", $"is '{TrainSplit}'; the synthetic dataset's splits are train and test");
            check.Require(TestSplit == "test", "test_split", $"is '{TestSplit}'; the synthetic dataset's splits are train and test");
            check.Require(ValSplit is null, "val_split", $"is '{ValSplit}'; the synthetic dataset has no validation split (use data.val_fraction)");

            // The loader drops the last partial batch (static shapes), so a smaller training set gives no step at all.
            var trainImages = (int)Math.Round(Synthetic.Train * (1 - (ValSplit is null ? ValFraction : 0)));
            check.Require(
                trainImages >= options.Train.BatchSize, "synthetic.train",
                $"gives {trainImages} training images after the validation hold-out, fewer than train.batch_size ({options.Train.BatchSize})");
        }
    }

    // Whether the AU source fits the dataset and the method, and its file exists.
    private void CheckAuSource(ConfigChecker check, TrainOptions options, bool realDataset)
    {
        if (!realDataset)
        {
            check.Require(Au.Source == AuSource.None, "source",
                $"is {EnumWords.ToWord(Au.Source)}, but the synthetic dataset brings its own AU pseudo-labels (see data.synthetic.au_error_rate); expected none");
        }
        else if (Au.Source == AuSource.None)
        {
            check.Require(!options.Method.HasAuxBranch(), "source",
                $"is none, but method '{EnumWords.ToWord(options.Method)}' trains the AU graph branch and needs AU pseudo-labels; expected openface or generic with data.au.path",
                relatedKey: "method");
        }
        else if (Au.Path is null)
        {
            check.Fail("path", $"is not set; AU source '{EnumWords.ToWord(Au.Source)}' needs the AU CSV file or folder", relatedKey: "source");
        }
        else if (!File.Exists(Au.Path) && !Directory.Exists(Au.Path))
        {
            check.Fail("path", $"'{Au.Path}' does not exist; expected the AU CSV file or a folder of per-image CSVs");
        }
    }

    internal DataOptions WithFullPaths(string baseDirectory) => this with
    {
        Root = Root is null ? null : ConfigChecker.FullPath(baseDirectory, Root),
        Detector = Detector.ToLowerInvariant() is "blazeface" or "haar" or "none" ? Detector.ToLowerInvariant() : ConfigChecker.FullPath(baseDirectory, Detector),
        CacheDir = ConfigChecker.FullPath(baseDirectory, CacheDir),
        Au = Au with { Path = Au.Path is null ? null : ConfigChecker.FullPath(baseDirectory, Au.Path) },
        Noise = Noise with { List = Noise.List is null ? null : ConfigChecker.FullPath(baseDirectory, Noise.List) },
    };
}
