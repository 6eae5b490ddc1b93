using UlcAg.Data;
using UlcAg.Data.Loading;
using UlcAg.Network.Models;
using UlcAg.Training.Config;
using UlcAg.Training.Correction;
using UlcAg.Training.Schedule;
using UlcAg.Training.Trainer;
using N = UlcAg.Network.Models.ArtifactNames;

namespace UlcAg.Training.Methods;

/// <summary>
/// A training method as the shared loop sees it (the role of Lightning's LightningModule): the heads
/// and loss terms of its network, its per-epoch settings (ramps, learning rates), what it feeds per
/// step beyond images, labels and class weights, what it does between steps (templates, relabeling),
/// what it measures on an evaluation split, and the state it keeps in checkpoints. A new method is a
/// new subclass registered in <see cref="Create"/> and a preset.
/// </summary>
public abstract class MethodModule
{
    protected MethodModule(TrainOptions options) => Options = options;

    /// <summary>The run's options.</summary>
    protected TrainOptions Options { get; }

    /// <summary>The heads and losses the network builder compiles for this method.</summary>
    public abstract Method Method { get; }

    /// <summary>phi: the share of a batch in the high-confidence group (eq. 4 and 8).</summary>
    public virtual double RrRatio => Options.UlcAg.RrRatio;

    /// <summary>Loss terms reported per epoch, in order, with the step output that holds each (the total is always reported).</summary>
    public abstract IReadOnlyList<(string Term, string Output)> LossTerms { get; }

    /// <summary>Inputs the method sets itself, once in <see cref="Setup"/> or in <see cref="FeedBatch"/> (besides images, labels, class weights and the per-epoch scalars).</summary>
    public virtual IReadOnlyList<string> Feeds => [];

    /// <summary>Step outputs the method reads besides the loss terms, alpha and the logits.</summary>
    public virtual IReadOnlyList<string> Results => [];

    /// <summary>Extra inputs of the eval graph (e.g. the adjacency), after <see cref="Setup"/>.</summary>
    public virtual IReadOnlyDictionary<string, (Array Data, long[] Shape)> EvalFeeds { get; } = new Dictionary<string, (Array, long[])>();

    /// <summary>The network options of this method, from the ones every method shares.</summary>
    public NetworkOptions Network(NetworkOptions shared) => shared with { Method = Method, RrRatio = RrRatio };

    /// <summary>What the run set up for the method (null before <see cref="Setup"/>).</summary>
    protected MethodSetup Run { get; private set; } = null!;

    /// <summary>Once, after the train step is bound.</summary>
    public void Setup(MethodSetup setup)
    {
        Run = setup;
        OnSetup(setup);
    }

    /// <summary>State built from the training data (adjacency, templates).</summary>
    protected virtual void OnSetup(MethodSetup setup)
    {
    }

    /// <summary>
    /// The scalars of epoch <paramref name="epoch"/> (0-based): the loss weights of eq. 11 and the
    /// learning rate of each parameter group. Methods without the AU branch use the plain sum
    /// L_cls + L_rr (lambda1 = 2, lambda2 = 0).
    /// </summary>
    public virtual EpochSettings OnTrainEpochStart(int epoch)
    {
        var t = Options.Train;
        var lr = LrSchedule.At(t.Lr, epoch, t.LrMilestones, t.LrGamma);
        var rates = new Dictionary<string, double>
        {
            [N.GroupBackbone] = lr,
            [N.GroupTarget] = lr,
            [N.GroupAux] = LrSchedule.At(t.AuxLr, epoch, t.LrMilestones, t.LrGamma),
        };
        return new EpochSettings(2, 0, RrMargin: null, rates);
    }

    /// <summary>Writes the method's own inputs for <paramref name="batch"/> (e.g. AU targets).</summary>
    public virtual void FeedBatch(StepBinding binding, LoaderBatch batch)
    {
    }

    /// <summary>After a step: what the method does between steps (templates, relabeling); returns the label changes made.</summary>
    public virtual IReadOnlyList<RelabelEvent> OnTrainBatchEnd(int epoch, LoaderBatch batch, StepBinding binding, LabelStore labels) => [];

    /// <summary>
    /// After an epoch's last step, before validation: a method that decides on clean evidence calls
    /// <paramref name="trainingSetPass"/> (the eval graph over the unaugmented training set; it costs a
    /// forward pass over every training image) and may change labels; returns the changes made.
    /// </summary>
    public virtual IReadOnlyList<RelabelEvent> OnTrainEpochEnd(int epoch, Func<TrainingSetOutputs> trainingSetPass, LabelStore labels) => [];

    /// <summary>
    /// A collector of the method's own measures over an evaluation split, or null when it has none;
    /// <paramref name="finalTest"/> for the test of the weights the run keeps (where diagnostics that
    /// cost more than a validation should, such as <see cref="AuOracle"/>, run once).
    /// </summary>
    public virtual EvalProbe? CreateEvalProbe(bool finalTest = false) => null;

    /// <summary>The semantic templates to keep in a checkpoint (empty for methods without them).</summary>
    public virtual float[]?[] SaveTemplates() => [];

    /// <summary>Restores what <see cref="SaveTemplates"/> returned.</summary>
    public virtual void RestoreTemplates(float[]?[] templates)
    {
    }

    /// <summary>The share of wrong training labels the method estimates, where it does; null elsewhere.</summary>
    public virtual double? EstimatedNoiseRate => null;

    /// <summary>Other per-run state of the method to keep in a checkpoint (e.g. averaged evidence), by name.</summary>
    public virtual Dictionary<string, float[]> SaveState() => [];

    /// <summary>Restores what <see cref="SaveState"/> returned.</summary>
    public virtual void RestoreState(IReadOnlyDictionary<string, float[]> state)
    {
    }

    /// <summary>The module of <paramref name="options"/>' method.</summary>
    public static MethodModule Create(TrainOptions options) => options.Method switch
    {
        Method.Baseline => new BaselineMethod(options),
        Method.Scn => new ScnMethod(options),
        _ => new UlcAgMethod(options),
    };
}

/// <summary>The scalars fed for one epoch: eq. 11's lambda1 and lambda2, theta of eq. 4 (null where the loss has no L_rr) and the learning rate per group.</summary>
public sealed record EpochSettings(double Lambda1, double Lambda2, double? RrMargin, IReadOnlyDictionary<string, double> LearningRates);

/// <summary>The eval graph's outputs for every training sample, in sample order: logits [N, C], alpha [N], s [N, SemanticSize] (null without the AU branch).</summary>
public sealed record TrainingSetOutputs(float[] Logits, float[] Alpha, float[]? Semantic, int Classes, int SemanticSize);

/// <summary>What <see cref="MethodModule.Setup"/> may use.</summary>
public sealed record MethodSetup(DatasetSplit Train, NetworkOptions Network, StepBinding Step, RunFolder Folder, int Seed, LabelStore Labels);

/// <summary>Scores of a method's own branches on an evaluation split.</summary>
/// <param name="AuAuc">Mean over AUs of the ROC AUC of the AU scores against the AU labels (0.5 = chance).</param>
/// <param name="TemplateAccuracy">Share of samples whose nearest semantic template (eq. 9) is their own class.</param>
/// <param name="AuAucRendered">As <paramref name="AuAuc"/>, against the AUs the images actually show (<see cref="Sample.RenderedAus"/>, synthetic data).</param>
/// <param name="Oracle">The robust policy with s against the same policy with the rendered AUs in its place (final test, synthetic data).</param>
public sealed record BranchScores(double? AuAuc, double? TemplateAccuracy, double? AuAucRendered = null, AuOracleResults? Oracle = null)
{
    /// <summary>AUC of low alpha for the test samples the classifier gets wrong (set by the trainer on the final test, where a loss trains alpha).</summary>
    public double? AlphaErrorAuc { get; init; }

    /// <summary>Each AU's detection (AU branch with AU scores as s, AU names known), or null.</summary>
    public IReadOnlyList<AuScore>? PerAu { get; init; }

    public static BranchScores None { get; } = new(null, null);
}

/// <summary>Collects a method's measures over the batches of an evaluation pass.</summary>
public abstract class EvalProbe
{
    /// <summary>Sample <paramref name="sample"/> is row <paramref name="row"/> of the eval graph's <paramref name="outputs"/>.</summary>
    public abstract void Add(IReadOnlyDictionary<string, Array> outputs, int row, Sample sample);

    public abstract BranchScores Result();
}
