namespace UlcAg.Data.Faces;

/// <summary>Settings of <see cref="FacePipeline"/>. Every member changes the crops, so the image cache key hashes all of them.</summary>
public sealed record FacePipelineOptions
{
    /// <summary>Side of the square output crop in pixels.</summary>
    public int Size { get; init; } = 112;

    /// <summary>How crops are made.</summary>
    public AlignMode Mode { get; init; } = AlignMode.Auto;

    /// <summary>Box crops: context added on each side as a fraction of the box's longer side.</summary>
    public float Margin { get; init; } = 0.2f;

    /// <summary>5-point alignment: extra context around the template face (see <see cref="FaceTemplate.ForSize"/>).</summary>
    public float TemplatePadding { get; init; }

    /// <summary>
    /// Images whose longer side exceeds this are detected on a copy scaled down to it; crops are
    /// always taken from the full-resolution original.
    /// </summary>
    public int MaxDetectSide { get; init; } = 1024;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Size <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Size), Size, "crop size must be positive");
        }

        if (Margin < 0 || float.IsNaN(Margin))
        {
            throw new ArgumentOutOfRangeException(nameof(Margin), Margin, "margin must be zero or positive");
        }

        if (TemplatePadding < 0 || float.IsNaN(TemplatePadding))
        {
            throw new ArgumentOutOfRangeException(nameof(TemplatePadding), TemplatePadding, "template padding must be zero or positive");
        }

        if (MaxDetectSide < 32)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDetectSide), MaxDetectSide, "must be at least 32 pixels");
        }
    }
}
