using System.Globalization;
using UlcAg.Data;
using UlcAg.Data.Loading;
using UlcAg.IO;
using UlcAg.Network.Models;
using UlcAg.Training.Config;
using UlcAg.Training.Correction;
using UlcAg.Training.Metrics;
using UlcAg.Training.Schedule;
using UlcAg.Training.Trainer;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Training.Methods;

/// <summary>
/// ULC-AG and its ablations, as switches of one method: the target branch (alpha, weighted CE eq. 3,
/// rank regularization eq. 4), the auxiliary AU graph branch (eq. 5-7, data-driven or random edges),
/// eq. 11's ramped combination (eq. 12-13), and, with the AU branch, semantic templates (eq. 8) and
/// relabeling (eq. 9-10) from <c>ulcag.relabel_start_epoch</c>.
/// </summary>
public sealed class UlcAgMethod(TrainOptions options) : MethodModule(options)
{
    private SemanticTemplates? _templates;
    private RobustCorrection? _robust;
    private readonly Dictionary<string, (Array, long[])> _evalFeeds = [];

    public override Method Method => Options.Method;

    /// <summary>The target branch's weighted CE and rank regularization are in the loss (all but aux-only).</summary>
    public bool TargetBranch => Method.HasWeightedCe();

    /// <summary>The AU graph branch, its loss and the template relabeling run (all but target-only).</summary>
    public bool AuxBranch => Method.HasAuxBranch();

    public override IReadOnlyList<(string Term, string Output)> LossTerms => [
        (TargetBranch ? Metrics.LossTerms.Wce : Metrics.LossTerms.Ce, N.LossCls),
        .. Method.HasRankRegularization() ? [(Metrics.LossTerms.Rr, N.LossRr)] : Array.Empty<(string, string)>(),
        .. AuxBranch ? [(Metrics.LossTerms.Au, N.LossAu)] : Array.Empty<(string, string)>(),
    ];

    public override IReadOnlyList<string> Feeds => !AuxBranch ? [] : Accumulating ? [N.AuTargets, N.AuMask, N.Adjacency, N.AuCount] : [N.AuTargets, N.AuMask, N.Adjacency];

    /// <summary>The step accumulates gradients over micro-batches, whose L_au averages over the whole batch's labelled samples.</summary>
    private bool Accumulating => Options.Train.AccumulationSteps > 1;

    public override IReadOnlyList<string> Results => AuxBranch ? [N.Semantic] : [];

    public override IReadOnlyDictionary<string, (Array Data, long[] Shape)> EvalFeeds => _evalFeeds;

    protected override void OnSetup(MethodSetup setup)
    {
        if (!AuxBranch) return;
        var net = setup.Network;
        _templates = new SemanticTemplates(net.Classes, net.SemanticSize, Options.UlcAg.TemplateMomentum);
        if (Options.UlcAg.Correction == CorrectionPolicy.Robust)
            _robust = new RobustCorrection(Options.UlcAg.Robust, setup.Train.Samples.Count, net.Classes, net.SemanticSize,
                [.. setup.Train.Samples.Select(s => s.Aus)], net.AuCount,
                net.AuFalsePositiveRates is { } rates && net.Semantic == SemanticFeature.AuScores ? new AuLabelScale(rates) : null);
        var adjacency = Method == Method.RandomEdges
            ? AuAdjacency.Random(net.AuCount, setup.Seed)
            : AuAdjacency.FromLabels(setup.Train.Samples.Select(s => s.Aus), net.AuCount);
        adjacency.AsSpan().CopyTo(setup.Step.Feed<float>(N.Adjacency));
        _evalFeeds[N.Adjacency] = (adjacency, [net.AuCount, net.AuCount]);
        WriteAdjacency(setup.Folder.Adjacency, adjacency, net.AuCount, setup.Train.AuNames);
    }

    public override EpochSettings OnTrainEpochStart(int epoch)
    {
        var settings = base.OnTrainEpochStart(epoch) with { RrMargin = Method.HasRankRegularization() ? Options.UlcAg.RrMargin : null };
        if (!AuxBranch) return settings;
        // eq. 12-13, epochs counted from 1; the AU loss stays off until ulcag.aux_start_epoch epochs are complete.
        var beta = Options.UlcAg.RampBeta;
        var lambda2 = epoch < Options.UlcAg.AuxStartEpoch ? 0 : Ramps.Lambda2(epoch + 1, beta);
        return settings with { Lambda1 = Ramps.Lambda1(epoch + 1, beta), Lambda2 = lambda2 };
    }

    public override void FeedBatch(StepBinding binding, LoaderBatch batch)
    {
        if (!AuxBranch) return;
        var targets = binding.Feed<float>(N.AuTargets);
        var mask = binding.Feed<float>(N.AuMask);
        var m = Run.Network.AuCount;
        var labelled = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var aus = Run.Train.Samples[batch.Indices[i]].Aus;
            mask[i] = aus is null ? 0 : 1;
            var row = targets.Slice(i * m, m);
            if (aus is null) row.Clear();
            else aus.AsSpan(0, m).CopyTo(row);
            if (aus is not null) labelled++;
        }
        // eq. 7's mean over the whole batch's labelled samples, in every micro-batch.
        if (Accumulating) binding.SetScalar(N.AuCount, labelled);
    }

    /// <summary>
    /// The paper policy, per batch on the step's outputs: templates from the batch's high-confidence
    /// samples (eq. 8), then relabeling of its low-confidence ones (eq. 9-10).
    /// </summary>
    public override IReadOnlyList<RelabelEvent> OnTrainBatchEnd(int epoch, LoaderBatch batch, StepBinding binding, LabelStore labels)
    {
        if (_templates is null || _robust is not null) return [];
        var alpha = binding.Result<float>(N.Alpha);
        var semantic = binding.Result<float>(N.Semantic);
        var high = ConfidenceSplit.High(alpha, RrRatio);
        _templates.Update(semantic, alpha, binding.Feed<long>(N.Labels), high);
        return epoch >= Options.UlcAg.RelabelStartEpoch
            ? Relabeling.ByTemplates(_templates, batch.Indices, semantic, alpha, high, binding.Result<float>(N.Logits), labels, epoch + 1, Options.UlcAg.RelabelMargin)
            : [];
    }

    /// <summary>
    /// The robust policy, once the relabel start's epoch is complete: the clean pass over the training
    /// set feeds the averaged evidence, and from then on decisions need consecutive epochs' agreement.
    /// </summary>
    public override IReadOnlyList<RelabelEvent> OnTrainEpochEnd(int epoch, Func<TrainingSetOutputs> trainingSetPass, LabelStore labels)
    {
        if (_robust is null || epoch + 1 < Options.UlcAg.RelabelStartEpoch) return [];
        return _robust.Update(trainingSetPass(), labels, epoch, decide: true);
    }

    public override double? EstimatedNoiseRate => _robust is { Evidence.Updates: > 0 } r ? r.EstimatedNoiseRate : null;

    public override EvalProbe? CreateEvalProbe(bool finalTest = false) => _robust is not null
        ? new AuBranchProbe(Run.Network, _robust.Templates, _robust.ToTemplateSpace)
        {
            Oracle = finalTest ? rows => AuOracle.Compare(_robust, Options.UlcAg.Robust, Run.Labels, Run.Train, rows) : null,
            AuNames = finalTest ? Run.Train.AuNames : null,
        }
        : _templates is null ? null : new AuBranchProbe(Run.Network, _templates) { AuNames = finalTest ? Run.Train.AuNames : null };

    public override float[]?[] SaveTemplates() => _templates?.Snapshot() ?? [];

    public override Dictionary<string, float[]> SaveState() => _robust?.Snapshot() ?? [];

    public override void RestoreState(IReadOnlyDictionary<string, float[]> state) => _robust?.Restore(state);

    public override void RestoreTemplates(float[]?[] templates)
    {
        if (_templates is not null && templates.Length > 0) _templates.Restore(templates);
    }

    private static void WriteAdjacency(string path, float[] a, int m, IReadOnlyList<string> auNames)
    {
        var rows = Enumerable.Range(0, m).Select(p => string.Join(",", a.Skip(p * m).Take(m).Select(v => v.ToString("G6", CultureInfo.InvariantCulture))));
        AtomicFile.WriteAllText(path, string.Join(",", auNames.Take(m)) + "\n" + string.Join("\n", rows) + "\n");
    }
}
