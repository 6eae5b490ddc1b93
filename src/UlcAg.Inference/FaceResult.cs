using UlcAg.Data;
using UlcAg.Data.Faces;

namespace UlcAg.Inference;

/// <summary>One classified face.</summary>
/// <param name="Box">The detected box in image pixels; null when the whole image was the face (<c>--no-detect</c>).</param>
/// <param name="Crop">How the crop was made (5-point or eyes-and-mouth alignment, box crop, or whole-image resize).</param>
/// <param name="DetectorScore">The detector's score (uncalibrated for Haar); 1 without detection.</param>
/// <param name="Prediction">The model's answer.</param>
public sealed record FaceResult(FaceBox? Box, FaceCropKind Crop, float DetectorScore, ExpressionPrediction Prediction);
