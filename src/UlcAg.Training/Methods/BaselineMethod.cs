using UlcAg.Network.Models;
using UlcAg.Training.Config;
using UlcAg.Training.Metrics;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Training.Methods;

/// <summary>The plain ResNet-18 with cross-entropy: no alpha, no AU branch, no relabeling.</summary>
public sealed class BaselineMethod(TrainOptions options) : MethodModule(options)
{
    public override Method Method => Method.Baseline;

    public override IReadOnlyList<(string Term, string Output)> LossTerms { get; } = [(Metrics.LossTerms.Ce, N.LossCls)];
}
