namespace UlcAg.Data.Synthetic;

/// <summary>
/// Everything known about one synthetic image except its pixels: where it sits in the dataset,
/// its (true) label, the blend that makes it ambiguous if any, the full render spec (whose
/// <see cref="FaceSpec.Aus"/> are the true AUs) and the simulated detector's AU pseudo-labels.
/// </summary>
public sealed record SyntheticFaceInfo(
    SynthSplit Split,
    int Index,
    string FileName,
    BasicExpression Label,
    BasicExpression? BlendedWith,
    double BlendRatio,
    FaceSpec Spec,
    AuDetection PseudoAus)
{
    /// <summary>The true action units of the face.</summary>
    public AuIntensities TrueAus => Spec.Aus;

    /// <summary>The aligned image's file name, as in RAF-DB (<c>train_00001_aligned.jpg</c>).</summary>
    public string AlignedFileName => Path.GetFileNameWithoutExtension(FileName) + "_aligned.jpg";
}

/// <summary>A rendered synthetic image: its description, the JPEG bytes written to disk, and the decoded BGR pixels.</summary>
public sealed record SyntheticFace(SyntheticFaceInfo Info, byte[] Jpeg, byte[] Pixels, int Size);

/// <summary>Which AU labels an in-memory synthetic split carries.</summary>
public enum SyntheticAuLabels
{
    /// <summary>The simulated detector's presence labels (what a real dataset would have).</summary>
    Pseudo,
    /// <summary>The true presence of every AU.</summary>
    True,
}
