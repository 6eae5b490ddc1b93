namespace UlcAg.Data.Synthetic;

/// <summary>
/// Everything the renderer needs for one image: who (identity), which action units at what
/// intensity (the expression), and the scene around the face. Rendering is a pure function of it.
/// </summary>
public sealed record FaceSpec(FaceIdentity Identity, AuIntensities Aus, FaceScene Scene);
