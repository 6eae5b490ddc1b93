using UlcAg.Data;
using UlcAg.Training.Config;
using UlcAg.Training.Methods;
using UlcAg.Training.Metrics;

namespace UlcAg.Training.Correction;

/// <summary>
/// Tells a weak AU branch from a weak rule: the robust policy's rules run once more with the AUs each
/// face truly shows (<see cref="Sample.RenderedAus"/>, synthetic data) in place of the AU branch's
/// scores s, beside the same rules with s. Where the two agree, a better AU branch would not help;
/// where they differ, the difference is what the AU branch costs.
/// <list type="bullet">
/// <item>Template accuracy (eq. 8-9): templates are the mean AU vectors of the policy's trusted training
/// samples in its template space (<see cref="TemplateSpace"/>); a test face is named by its nearest template.</item>
/// <item>One decision at the last epoch's averaged evidence (no confirmation across epochs): the labels
/// the policy would change, from the original labels, and how many of those changes are right.</item>
/// </list>
/// </summary>
public static class AuOracle
{
    /// <summary>
    /// The comparison, or null unless every training and test sample knows its rendered AUs and the clean
    /// training labels are known.
    /// </summary>
    /// <param name="policy">The run's robust policy after its last decision.</param>
    /// <param name="options">The policy's options.</param>
    /// <param name="labels">The run's labels (original, current, clean).</param>
    /// <param name="train">The training split (its samples carry the AU labels and the rendered AUs).</param>
    /// <param name="testS">Each test sample's s from the best weights, with the sample.</param>
    public static AuOracleResults? Compare(RobustCorrection policy, RobustCorrectionOptions options, LabelStore labels, DatasetSplit train, IReadOnlyList<(float[] S, Sample Sample)> testS)
    {
        if (policy.LatestTrusted is not { } trusted || policy.Evidence.Updates == 0 || policy.Evidence.SemanticSize == 0) return null;
        if (labels.Clean is not { } clean || clean.Any(c => c is null)) return null;
        if (train.Samples.Any(s => s.RenderedAus is null) || testS.Count == 0 || testS.Any(t => t.Sample.RenderedAus is null)) return null;
        var evidence = policy.Evidence;
        int m = evidence.SemanticSize, auCount = train.Samples[0].RenderedAus!.Length;
        var rendered = train.Samples.SelectMany(s => s.RenderedAus!).ToArray();
        var rows = trusted.SelectMany(t => t).ToList();

        var testLabels = testS.Select(t => t.Sample.Label).ToArray();
        var withS = TemplateAccuracy(options, policy.TemplateFeatures(evidence.Semantic), m, trusted, testS.Select(t => policy.TemplateFeatures(t.S)).ToList(), testLabels);
        var withTrue = TemplateAccuracy(options, rendered, auCount, trusted, testS.Select(t => t.Sample.RenderedAus!).ToList(), testLabels);
        return new AuOracleResults
        {
            TrustedSamples = rows.Count,
            TemplateAccuracy = withS,
            TemplateAccuracyTrueAus = withTrue,
            Decision = OneDecision(options, evidence, evidence.Semantic, m, train, labels),
            DecisionTrueAus = OneDecision(options, evidence, rendered, auCount, train, labels),
        };
    }

    /// <summary>
    /// Share of test rows whose nearest template is their label: the policy's template space fitted to the
    /// training rows and the trusted groups, templates the trusted rows' means in it.
    /// </summary>
    internal static double TemplateAccuracy(RobustCorrectionOptions options, float[] trainFeatures, int width, IReadOnlyList<int>[] trusted, IReadOnlyList<float[]> testFeatures, int[] testLabels)
    {
        var space = TemplateSpace.Fit(trainFeatures, width, trusted, options.Standardize, options.WhitenTemplates);
        var templates = new SemanticTemplates(trusted.Length, width, momentum: 0, TemplateSpace.DistanceFor(options.WhitenTemplates));
        templates.Restore(space.ClassMeans(space.MapRows(trainFeatures), trusted));
        return (double)testFeatures.Where((s, j) => templates.Nearest(space.Map(s)).Class == testLabels[j]).Count() / testFeatures.Count;
    }

    /// <summary>The policy's decision once, at the averaged evidence, with <paramref name="features"/> as s, from the original labels.</summary>
    private static OneDecisionResult OneDecision(RobustCorrectionOptions options, SampleEvidence evidence, float[] features, int width, DatasetSplit train, LabelStore labels)
    {
        int n = evidence.Samples, classes = evidence.Classes;
        var policy = new RobustCorrection(options with { ConfirmEpochs = 1, EvidenceMomentum = 0 }, n, classes, width,
            [.. train.Samples.Select(s => s.Aus)], train.AuNames.Count);
        // log p as logits: the softmax of the new evidence gives the averaged probabilities back.
        var logits = evidence.Probabilities.Select(p => MathF.Log(Math.Max(p, 1e-30f))).ToArray();
        var fresh = new LabelStore(labels.Initial, labels.Clean);
        var changes = policy.Update(new TrainingSetOutputs(logits, evidence.Alpha.ToArray(), features, classes, width), fresh, epoch: 0, decide: true);
        var audit = RelabelAudit.Compute(fresh.Initial, fresh.Initial, fresh.Current, [.. labels.Clean!.Select(c => c!.Value)]);
        return new OneDecisionResult(changes.Count, audit.PrecisionTotal, audit.Recall);
    }

}

/// <summary>One decision of the robust policy: labels changed, the share of changes that are right, and the share of wrong labels fixed.</summary>
public sealed record OneDecisionResult(int Changed, double? Precision, double? Recall);

/// <summary>What <see cref="AuOracle.Compare"/> measured (test.json's <c>au_oracle</c>).</summary>
public sealed record AuOracleResults
{
    /// <summary>Trusted training samples the templates are built from.</summary>
    public int TrustedSamples { get; init; }
    /// <summary>Template accuracy on the test faces with the AU branch's s.</summary>
    public double TemplateAccuracy { get; init; }
    /// <summary>Template accuracy on the test faces with the rendered AUs in place of s.</summary>
    public double TemplateAccuracyTrueAus { get; init; }
    /// <summary>One decision at the last epoch's evidence with s.</summary>
    public required OneDecisionResult Decision { get; init; }
    /// <summary>One decision at the last epoch's evidence with the rendered AUs in place of s.</summary>
    public required OneDecisionResult DecisionTrueAus { get; init; }
}
