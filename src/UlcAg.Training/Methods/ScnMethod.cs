using UlcAg.Data.Loading;
using UlcAg.Network.Models;
using UlcAg.Training.Config;
using UlcAg.Training.Correction;
using UlcAg.Training.Trainer;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Training.Methods;

/// <summary>
/// Self-Cure Network (Wang et al. 2020): cross-entropy of the alpha-scaled logits, rank regularization,
/// and its relabel rule from <c>scn.relabel_start_epoch</c>.
/// </summary>
public sealed class ScnMethod(TrainOptions options) : MethodModule(options)
{
    public override Method Method => Method.Scn;

    public override double RrRatio => Options.Scn.RrRatio;

    public override IReadOnlyList<(string Term, string Output)> LossTerms { get; } =
        [(Metrics.LossTerms.Ce, N.LossCls), (Metrics.LossTerms.Rr, N.LossRr)];

    public override EpochSettings OnTrainEpochStart(int epoch) => base.OnTrainEpochStart(epoch) with { RrMargin = Options.Scn.RrMargin };

    public override IReadOnlyList<RelabelEvent> OnTrainBatchEnd(int epoch, LoaderBatch batch, StepBinding binding, LabelStore labels)
    {
        if (epoch < Options.Scn.RelabelStartEpoch) return [];
        var alpha = binding.Result<float>(N.Alpha);
        var high = ConfidenceSplit.High(alpha, RrRatio);
        return Relabeling.Scn(batch.Indices, binding.Result<float>(N.Logits), Run.Network.Classes, alpha, high, labels, epoch + 1, Options.Scn.RelabelThreshold,
            asInCode: Options.Scn.RelabelRule == ScnRelabelRule.Code);
    }
}
