using UlcAg.Data.AuLabels;
using UlcAg.Data.Issues;

namespace UlcAg.Data.Formats;

/// <summary>
/// Where a dataset is and how to read it. Relative paths are taken relative to <see cref="Root"/>.
/// Each property says which formats use it; the others ignore it.
/// </summary>
public sealed record DatasetOptions
{
    /// <summary>The adapter (any format but <see cref="DataFormat.Synthetic"/>).</summary>
    public required DataFormat Format { get; init; }

    /// <summary>The dataset's root folder.</summary>
    public required string Root { get; init; }

    /// <summary>
    /// The main annotation file, when not at its usual place: rafdb <c>EmoLabel/list_patition_label.txt</c>,
    /// affectnet-auto <c>automatically_annotated.csv</c>, fer2013 <c>fer2013.csv</c>, ferplus <c>fer2013new.csv</c>.
    /// </summary>
    public string? AnnotationFile { get; init; }

    /// <summary>ferplus: the FER2013 CSV the pixels come from (default <c>fer2013.csv</c> under the root).</summary>
    public string? PixelFile { get; init; }

    /// <summary>The folder image paths are relative to (affectnet: <c>Manually_Annotated_Images</c>; csv: the CSV's folder).</summary>
    public string? ImagesRoot { get; init; }

    /// <summary>
    /// Split name -> file or folder, overriding the defaults: affectnet and csv read one CSV per split,
    /// folder reads one subfolder per split.
    /// </summary>
    public IReadOnlyDictionary<string, string>? SplitFiles { get; init; }

    /// <summary>folder and csv: the source class order (folder names or label names); default sorted names.</summary>
    public IReadOnlyList<string>? ClassOrder { get; init; }

    /// <summary>
    /// Any format: keep only these classes, in this order (e.g. <see cref="ExpressionNames.Common7"/>);
    /// samples of other classes are dropped and counted. Null keeps the dataset's canonical order.
    /// </summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>affectnet and ferplus: 8 classes with Contempt; by default Contempt rows are dropped (7 classes).</summary>
    public bool IncludeContempt { get; init; }

    /// <summary>rafdb: aligned faces (default) or original photos.</summary>
    public RafDbImages RafDbImages { get; init; } = RafDbImages.Aligned;

    /// <summary>rafdb: side of the aligned images, which become the face box (the release's aligned images are 100x100).</summary>
    public int RafDbAlignedSize { get; init; } = 100;

    /// <summary>ferplus: how rows with a tie between emotions are handled.</summary>
    public FerPlusTieRule FerPlusTies { get; init; } = FerPlusTieRule.Drop;

    /// <summary>
    /// folder without train/test subfolders: the fraction of each class put into split "test" (the rest
    /// is "train"), chosen by <see cref="Seed"/>. 0 gives one split "all".
    /// </summary>
    public double HoldoutFraction { get; init; }

    /// <summary>Seed for <see cref="HoldoutFraction"/>.</summary>
    public int Seed { get; init; }

    /// <summary>Fail (throw at the first bad input) or Skip (skip and count).</summary>
    public IssuePolicy Policy { get; init; } = IssuePolicy.Fail;

    /// <summary>How many messages per issue kind the report keeps.</summary>
    public int KeepMessages { get; init; } = 5;

    /// <summary>Check that every image file exists (a missing one is an issue under <see cref="Policy"/>).</summary>
    public bool CheckImages { get; init; } = true;

    /// <summary>
    /// <see cref="DatasetSource"/>: a class without samples in a loaded split is an issue under <see cref="Policy"/>
    /// (it would get no gradient and a class weight of 1). Off for deliberately partial toy sets.
    /// </summary>
    public bool CheckEmptyClasses { get; init; } = true;

    /// <summary>AU pseudo-labels joined to the samples, or null (or source none) for none.</summary>
    public AuSourceOptions? Aus { get; init; }

    /// <summary><paramref name="path"/> made absolute against <see cref="Root"/>.</summary>
    public string Resolve(string path) => Path.GetFullPath(Path.Combine(Root, path));
}
