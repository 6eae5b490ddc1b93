namespace UlcAg.Data;

/// <summary>Where a sample's pixels come from: an image file, or raw pixels stored in the annotation file (FER2013).</summary>
public abstract record ImageSource
{
    /// <summary>An encoded image file on disk (JPEG, PNG, ...).</summary>
    public sealed record File(string Path) : ImageSource;

    /// <summary>Raw 8-bit pixels, row-major, <paramref name="Channels"/> = 1 (gray) or 3 (BGR).</summary>
    public sealed record Pixels(byte[] Data, int Width, int Height, int Channels) : ImageSource;
}

/// <summary>A face box in source-image pixels.</summary>
public readonly record struct FaceBox(float X, float Y, float Width, float Height);

/// <summary>
/// One labelled face. <see cref="Label"/> is the (possibly noisy) training label, an index into
/// <see cref="DatasetSplit.ClassNames"/>. <see cref="CleanLabel"/> is the true label where it is
/// known (injected noise, synthetic data), else null. <see cref="Aus"/> holds one 0/1 value per
/// name in <see cref="DatasetSplit.AuNames"/>, or null when the sample has no AU labels
/// (it is then masked from the AU loss). <see cref="RenderedAus"/> holds the AUs actually present
/// in the image, in the order of <see cref="Aus"/>, where they are known (synthetic faces, whose
/// <see cref="Aus"/> are a simulated detector's pseudo-labels); null for real datasets.
/// </summary>
public sealed record Sample(
    string Id,
    ImageSource Image,
    int Label,
    int? CleanLabel = null,
    float[]? Aus = null,
    FaceBox? Box = null,
    float[]? Landmarks = null,
    float[]? RenderedAus = null);

/// <summary>One split of a dataset, with its canonical class order and AU set.</summary>
public sealed record DatasetSplit(
    string Dataset,
    string Split,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<string> AuNames,
    IReadOnlyList<Sample> Samples);
