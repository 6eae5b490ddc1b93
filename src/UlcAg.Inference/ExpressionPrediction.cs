namespace UlcAg.Inference;

/// <summary>The model's answer for one face crop.</summary>
/// <param name="ClassIndex">Index of the most probable class.</param>
/// <param name="Label">Name of the most probable class.</param>
/// <param name="Probabilities">Softmax probability of every class, in <see cref="ModelContract.Classes"/> order.</param>
/// <param name="Alpha">The model's confidence in the label it was trained on (eq. 1), or null when the model has no alpha output.</param>
public sealed record ExpressionPrediction(int ClassIndex, string Label, float[] Probabilities, float? Alpha)
{
    /// <summary>Probability of the predicted class.</summary>
    public float Confidence => Probabilities[ClassIndex];
}
